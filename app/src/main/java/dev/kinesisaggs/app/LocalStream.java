package dev.kinesisaggs.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The stream the producer writes to, on the local Kinesis emulator. */
final class LocalStream {
    private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(30);

    private LocalStream() {}

    /** Creates the stream unless it exists (kept from an earlier run); waits until it is active; returns its shard count. */
    static int createIfMissing(KinesisClient kinesis, String stream, int shards, Clock clock) {
        if (describe(kinesis, stream) == null) {
            kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
        }
        Instant deadline = clock.instant().plus(ACTIVE_TIMEOUT);
        while (true) {
            StreamDescriptionSummary summary = describe(kinesis, stream);
            if (summary != null && summary.streamStatus() == StreamStatus.ACTIVE) {
                return summary.openShardCount();
            }
            if (clock.instant().isAfter(deadline)) {
                throw new UserError("The stream " + stream + " did not become active within " + ACTIVE_TIMEOUT.toSeconds()
                        + " s: the machine may be overloaded; try again.");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("Interrupted while creating the stream " + stream + ".");
            }
        }
    }

    private static StreamDescriptionSummary describe(KinesisClient kinesis, String stream) {
        try {
            return kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }
}
