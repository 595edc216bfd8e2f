package dev.kinesisaggs.app.commands;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The settings that decide when the function is invoked and with which records: batch size, batching window and
 * tumbling window, each under our short name and the AWS CLI's ({@code aws lambda create-event-source-mapping}).
 * {@code demo} takes these alone, as they change what it shows; it fixes the rest of the mapping. {@code consume}
 * takes them within {@link MappingOptions}. Each is optional: what is not given comes from the command's
 * {@link MappingDefaults}.
 */
public final class BatchingOptions {

    @Option(names = "--batch-size", paramLabel = "N", description = "BatchSize: records per invocation, 1-10000.")
    Integer batchSize;

    // A bare number is seconds (Durations), which is the AWS CLI's form, so its name can share the option.
    @Option(names = {"--batching-window", "--maximum-batching-window-in-seconds"}, paramLabel = "DURATION",
            converter = Durations.class,
            description = "MaximumBatchingWindowInSeconds: gather records this long before invoking, 0-300 s"
                    + " (seconds, as the AWS CLI takes it, or e.g. 1s, 2m).")
    Duration batchingWindow;

    @Option(names = {"--window", "--tumbling-window-in-seconds"}, paramLabel = "DURATION", converter = Durations.class,
            description = "TumblingWindowInSeconds: the tumbling window, 1-900 s (seconds, or e.g. 30s, 1m); 0 for none,"
                    + " only for a function of your own that has no windows.")
    Duration window;
}
