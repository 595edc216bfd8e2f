package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.FinalInvokeRecords;
import dev.kinesisaggs.esm.config.InvalidConfigException;
import dev.kinesisaggs.esm.config.StartingPosition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The event source mapping's settings as options, named after AWS's ({@code --batch-size} for
 * {@code BatchSize}, ...). Each is optional: what is not given comes from the command's {@link MappingDefaults}.
 */
public final class MappingOptions {

    @Option(names = "--batch-size", paramLabel = "N", description = "BatchSize: records per invocation, 1-10000.")
    Integer batchSize;

    @Option(names = "--batching-window", paramLabel = "DURATION", converter = Durations.class,
            description = "MaximumBatchingWindowInSeconds: gather records this long before invoking, 0-300 s.")
    Duration batchingWindow;

    @Option(names = "--starting-position", paramLabel = "POSITION",
            description = "StartingPosition of a shard without a checkpoint: LATEST, TRIM_HORIZON or AT_TIMESTAMP.")
    String startingPosition;

    @Option(names = "--starting-position-timestamp", paramLabel = "INSTANT",
            description = "StartingPositionTimestamp for AT_TIMESTAMP, e.g. 2026-01-01T12:00:00Z.")
    String startingPositionTimestamp;

    @Option(names = "--window", paramLabel = "DURATION", converter = Durations.class,
            description = "TumblingWindowInSeconds: the tumbling window, 1-900 s (e.g. 30s, 10s); 0s for none (a function without windows).")
    Duration window;

    @Option(names = "--max-retries", paramLabel = "N",
            description = "MaximumRetryAttempts: -1 retries until the records expire (default: -1).")
    Integer maxRetries;

    @Option(names = "--max-record-age", paramLabel = "DURATION", converter = Durations.class,
            description = "MaximumRecordAgeInSeconds: 60 s to 7 days; default: never discard.")
    Duration maxRecordAge;

    @Option(names = "--bisect", description = "BisectBatchOnFunctionError: split a failing batch in two and retry each half.")
    boolean bisect;

    @Option(names = "--report-batch-item-failures", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "FunctionResponseTypes ReportBatchItemFailures (default: on; --no-report-batch-item-failures to turn it off).")
    boolean reportBatchItemFailures = true;

    @Option(names = "--parallelization-factor", paramLabel = "N", description = "ParallelizationFactor, 1-10 (1 with windows).")
    Integer parallelizationFactor;

    @Option(names = "--destination", paramLabel = "FILE|QUEUE",
            description = "On-failure destination: a JSON-lines file, or an SQS queue URL or ARN (default: none).")
    String destination;

    @Option(names = "--function-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "The function's timeout, 1-900 s.")
    Duration functionTimeout;

    @Option(names = "--idle-grace", paramLabel = "DURATION", converter = Durations.class,
            description = "Local only (AWS is silent): close a window this long after its end when no later record arrived (default: 120s).")
    Duration idleGrace;

    @Option(names = "--final-invoke-records", paramLabel = "WHAT",
            description = "Local only (AWS is silent): the final invoke of a window carries EMPTY records, or the window's LAST_CHUNK (default: EMPTY).")
    String finalInvokeRecords;

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = Durations.class,
            description = "Local only: how often each shard is read when it is not behind (default: 1s, as on AWS).")
    Duration pollInterval;

    @Option(names = "--retry-backoff", paramLabel = "DURATION", converter = Durations.class,
            description = "Local only (AWS is silent): the wait before the first retry of a failed batch, doubling after each (default: 1s).")
    Duration retryBackoff;

    @Option(names = "--retry-backoff-max", paramLabel = "DURATION", converter = Durations.class,
            description = "Local only (AWS is silent): the longest wait between retries (default: 60s).")
    Duration retryBackoffMax;

    @Option(names = "--unknown-item-identifier-fails-batch", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Local only (AWS is silent): a well-formed batchItemFailures identifier that is not in the batch fails the whole batch (default: on).")
    boolean unknownItemIdentifierFailsBatch = true;

    /**
     * The mapping's configuration: the options given, the rest from {@code defaults}.
     *
     * @throws IllegalArgumentException with one sentence, for a value AWS would refuse
     */
    public EventSourceMappingConfig toConfig(String mappingId, MappingDefaults defaults) {
        StartingPosition position = startingPosition == null ? defaults.startingPosition() : position(startingPosition);
        Instant timestamp = null;
        if (startingPositionTimestamp != null) {
            try {
                timestamp = Instant.parse(startingPositionTimestamp);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--starting-position-timestamp must be an ISO instant such as"
                        + " 2026-01-01T12:00:00Z, not '" + startingPositionTimestamp + "'");
            }
        }
        try {
            EventSourceMappingConfig.Builder b = EventSourceMappingConfig.builder()
                    .mappingId(mappingId)
                    .batchSize(batchSize == null ? defaults.batchSize() : batchSize)
                    .maximumBatchingWindowInSeconds(Durations.wholeSeconds("--batching-window",
                            batchingWindow == null ? defaults.batchingWindow() : batchingWindow))
                    .startingPosition(position)
                    .startingPositionTimestamp(timestamp)
                    .tumblingWindowInSeconds(Durations.wholeSeconds("--window", window == null ? defaults.window() : window))
                    .maximumRetryAttempts(maxRetries == null ? -1 : maxRetries)
                    .maximumRecordAgeInSeconds(maxRecordAge == null ? -1 : Durations.wholeSeconds("--max-record-age", maxRecordAge))
                    .bisectBatchOnFunctionError(bisect)
                    .reportBatchItemFailures(reportBatchItemFailures)
                    .parallelizationFactor(parallelizationFactor == null ? 1 : parallelizationFactor)
                    .onFailureDestination(destination)
                    .functionTimeout(functionTimeout == null ? defaults.functionTimeout() : functionTimeout)
                    .windowIdleGrace(idleGrace == null ? defaults.idleGrace() : idleGrace)
                    .unknownItemIdentifierFailsWholeBatch(unknownItemIdentifierFailsBatch);
            if (finalInvokeRecords != null) {
                b.finalInvokeRecords(finalInvokeRecords(finalInvokeRecords));
            }
            if (pollInterval != null) {
                b.pollInterval(pollInterval);
            }
            if (retryBackoff != null) {
                b.retryBackoffInitial(retryBackoff);
            }
            if (retryBackoffMax != null) {
                b.retryBackoffMax(retryBackoffMax);
            }
            return b.build();
        } catch (InvalidConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static FinalInvokeRecords finalInvokeRecords(String text) {
        try {
            return FinalInvokeRecords.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--final-invoke-records must be EMPTY or LAST_CHUNK, not '" + text + "'");
        }
    }

    private static StartingPosition position(String text) {
        try {
            return StartingPosition.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--starting-position must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, not '" + text + "'");
        }
    }
}
