package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.esm.config.StartingPosition;
import java.time.Duration;

/**
 * The settings a command starts from before its options override them.
 *
 * @param batchSize       records per batch
 * @param batchingWindow  how long to gather records before invoking
 * @param startingPosition where a shard without a checkpoint begins
 * @param window          the tumbling window
 * @param functionTimeout the function's timeout
 * @param idleGrace       how long after its end a window with no later record is closed
 */
public record MappingDefaults(int batchSize, Duration batchingWindow, StartingPosition startingPosition, Duration window,
                              Duration functionTimeout, Duration idleGrace) {

    /** The workshop lab's settings, which the SAM template deploys too. */
    public static final MappingDefaults LAB = new MappingDefaults(1000, Duration.ofSeconds(120), StartingPosition.LATEST,
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120));
}
