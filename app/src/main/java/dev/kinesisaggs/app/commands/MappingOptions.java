package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.FinalInvokeRecords;
import dev.kinesisaggs.esm.config.InvalidConfigException;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.destination.JsonLinesFileDestination;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The event source mapping's settings as options, each under a short name and, where AWS has one, the AWS CLI's
 * ({@code aws lambda create-event-source-mapping}: {@code --maximum-retry-attempts} beside {@code --max-retries}, ...),
 * with the AWS CLI's value forms. Each is optional: what is not given comes from the command's {@link MappingDefaults}.
 */
public final class MappingOptions {
    /** Our value for {@code --max-record-age -1}, AWS's "never discard". */
    private static final Duration NEVER = Duration.ofSeconds(-1);

    /** The options of the settings the mapping's configuration checks, by their short names (UserErrors names them as typed). */
    private static final Map<String, String> OPTION_OF_SETTING = Map.of(
            "BatchSize", "--batch-size",
            "MaximumBatchingWindowInSeconds", "--batching-window",
            "TumblingWindowInSeconds", "--window",
            "MaximumRetryAttempts", "--max-retries",
            "MaximumRecordAgeInSeconds", "--max-record-age",
            "ParallelizationFactor", "--parallelization-factor",
            "StartingPositionTimestamp", "--starting-position-timestamp");

    @Mixin
    BatchingOptions batching;

    @Option(names = "--starting-position", paramLabel = "POSITION",
            description = "StartingPosition of a shard without a checkpoint: LATEST, TRIM_HORIZON or AT_TIMESTAMP.")
    String startingPosition;

    @Option(names = "--starting-position-timestamp", paramLabel = "TIME",
            description = "StartingPositionTimestamp for AT_TIMESTAMP: an ISO instant (2026-01-01T12:00:00Z) or Unix seconds, as the AWS CLI takes it.")
    String startingPositionTimestamp;

    @Option(names = {"--max-retries", "--maximum-retry-attempts"}, paramLabel = "N",
            description = "MaximumRetryAttempts: -1 retries until the records expire (default: -1).")
    Integer maxRetries;

    @Option(names = {"--max-record-age", "--maximum-record-age-in-seconds"}, paramLabel = "DURATION", converter = RecordAge.class,
            description = "MaximumRecordAgeInSeconds: 60 s to 7 days (seconds, as the AWS CLI takes it, or e.g. 2m, 1h); -1 (the default) never discards.")
    Duration maxRecordAge;

    @Option(names = {"--bisect", "--bisect-batch-on-function-error"}, negatable = true,
            description = "BisectBatchOnFunctionError: split a failing batch in two and retry each half (default: off).")
    boolean bisect;

    // Null when not given, so that giving it beside --function-response-types can be refused.
    @Option(names = "--report-batch-item-failures", negatable = true,
            description = "FunctionResponseTypes ReportBatchItemFailures (default: on; --no-report-batch-item-failures to turn it off).")
    Boolean reportBatchItemFailures;

    @Option(names = "--function-response-types", paramLabel = "TYPE", arity = "0..*",
            description = "FunctionResponseTypes as the AWS CLI takes them: ReportBatchItemFailures, or the option alone (no"
                    + " type) to turn it off; the same as --[no-]report-batch-item-failures.")
    List<String> functionResponseTypes;

    @Option(names = "--parallelization-factor", paramLabel = "N", description = "ParallelizationFactor, 1-10 (1 with windows).")
    Integer parallelizationFactor;

    @Option(names = "--destination", paramLabel = "FILE|QUEUE|BUCKET",
            description = "On-failure destination: a JSON-lines file, an SQS queue URL or ARN, or an S3 bucket ARN"
                    + " (arn:aws:s3:::BUCKET: one object per discarded batch, with the event) (default: none).")
    String destination;

    @Option(names = "--destination-config", paramLabel = "CONFIG",
            description = "The on-failure destination as the AWS CLI takes it: OnFailure={Destination=ARN}, its JSON, or file://PATH"
                    + " (the same as --destination).")
    String destinationConfig;

    @Option(names = {"--filter-criteria", "--filter"}, paramLabel = "JSON",
            description = "FilterCriteria as the AWS CLI takes it: {\"Filters\":[{\"Pattern\":\"{\\\"data\\\":{\\\"vendorId\\\":[2]}}\"}]}, "
                + "or file://PATH; records that match no filter never reach the function and are checkpointed past.")
    String filterCriteria;

    @Option(names = "--max-concurrency", paramLabel = "N",
            description = "The function's concurrency limit, as a reserved concurrency would set it: invocations beyond it are"
                    + " throttled and retried without counting as retry attempts (default: no limit).")
    Integer maxConcurrency;

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

    public MappingOptions() {
    }

    /** Only the batching settings given, the rest from the defaults: what {@code demo} runs. */
    MappingOptions(BatchingOptions batching) {
        this.batching = batching;
    }

    /**
     * The mapping's configuration: the options given, the rest from {@code defaults}.
     *
     * @throws IllegalArgumentException with one sentence, for a value AWS would refuse
     */
    public EventSourceMappingConfig toConfig(String mappingId, MappingDefaults defaults) {
        StartingPosition position = startingPosition == null ? defaults.startingPosition() : position(startingPosition);
        Instant timestamp = startingPositionTimestamp == null ? null : timestamp(startingPositionTimestamp);
        BatchingOptions given = batching == null ? new BatchingOptions() : batching;
        try {
            EventSourceMappingConfig.Builder b = EventSourceMappingConfig.builder()
                    .mappingId(mappingId)
                    .batchSize(given.batchSize == null ? defaults.batchSize() : given.batchSize)
                    .maximumBatchingWindowInSeconds(Durations.wholeSeconds("--batching-window",
                            given.batchingWindow == null ? defaults.batchingWindow() : given.batchingWindow))
                    .startingPosition(position)
                    .startingPositionTimestamp(timestamp)
                    .tumblingWindowInSeconds(Durations.wholeSeconds("--window", given.window == null ? defaults.window() : given.window))
                    .maximumRetryAttempts(maxRetries == null ? -1 : maxRetries)
                    .maximumRecordAgeInSeconds(maxRecordAge == null || maxRecordAge.isNegative() ? -1
                            : Durations.wholeSeconds("--max-record-age", maxRecordAge))
                    .bisectBatchOnFunctionError(bisect)
                    .reportBatchItemFailures(true)
                    .parallelizationFactor(parallelizationFactor == null ? 1 : parallelizationFactor)
                    .onFailureDestination(destination())
                    .functionTimeout(functionTimeout == null ? defaults.functionTimeout() : functionTimeout)
                    .windowIdleGrace(idleGrace == null ? defaults.idleGrace() : idleGrace)
                    .unknownItemIdentifierFailsWholeBatch(unknownItemIdentifierFailsBatch);
            if (functionResponseTypes != null && reportBatchItemFailures != null) {
                throw new IllegalArgumentException("--function-response-types and --[no-]report-batch-item-failures set the same"
                        + " FunctionResponseTypes: give one of them");
            }
            if (functionResponseTypes != null) {
                b.functionResponseTypes(functionResponseTypes);
            } else if (reportBatchItemFailures != null) {
                b.reportBatchItemFailures(reportBatchItemFailures);
            }
            if (maxConcurrency != null) {
                b.maxConcurrency(maxConcurrency);
            }
            if (filterCriteria != null) {
                b.filterCriteria(filterCriteria.startsWith("file://") ? readFilterFile(filterCriteria.substring("file://".length()))
                        : filterCriteria);
            }
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
            throw new IllegalArgumentException(withOptions(e.getMessage()), e);
        }
    }

    /**
     * The mapping's sentence with each AWS setting it names preceded by the option that sets it here ({@code --window
     * (TumblingWindowInSeconds) must be ...}): the user typed the option, and may not know the setting's name.
     */
    static String withOptions(String message) {
        String named = message;
        for (Map.Entry<String, String> setting : OPTION_OF_SETTING.entrySet()) {
            named = named.replaceFirst("(?<![\\w(-])" + setting.getKey() + "(?![\\w)])",
                    setting.getValue() + " (" + setting.getKey() + ")");
        }
        return named;
    }

    private static String readFilterFile(String path) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--filter-criteria file://" + path + " cannot be read (" + e.getMessage()
                    + "): give a readable file of FilterCriteria JSON");
        }
    }

    private String destination() {
        if (destination != null && destinationConfig != null) {
            throw new IllegalArgumentException("--destination and --destination-config both name the on-failure destination: give one of them");
        }
        if (destinationConfig != null) {
            return DestinationConfig.onFailureDestination(destinationConfig);
        }
        if (destination != null && JsonLinesFileDestination.namesFile(destination)) {
            checkWritableFile(destination);
        }
        return destination;
    }

    /**
     * A JSON-lines destination is written at the first record given up, maybe hours in: a path that cannot be is said
     * now (found by a probe: a directory that did not exist was created, as root).
     */
    private static void checkWritableFile(String destination) {
        Path file = Path.of(destination).toAbsolutePath();
        Path directory = file.getParent();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--destination " + destination + " is a directory: name a JSON-lines file in it");
        }
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--destination " + destination + " is in no existing directory: create " + directory
                    + " first, or name a file in a directory that exists");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(directory)) {
            throw new IllegalArgumentException("--destination " + destination + " cannot be written: name a file you can write");
        }
    }

    /** An ISO instant, or Unix seconds as the AWS CLI also takes timestamps. */
    private static Instant timestamp(String text) {
        String t = text.strip();
        try {
            if (t.matches("\\d+(\\.\\d+)?")) {
                BigDecimal seconds = new BigDecimal(t);
                return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            return Instant.parse(t);
        } catch (DateTimeException | ArithmeticException e) { // DateTimeException: unparsable, or beyond the instants Java has
            throw new IllegalArgumentException("--starting-position-timestamp must be an ISO instant such as"
                    + " 2026-01-01T12:00:00Z or Unix seconds, not '" + text + "'");
        }
    }

    /** A duration, or -1 for never as AWS writes it. */
    static final class RecordAge implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.strip().equals("-1") ? NEVER : Durations.parse(value);
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
