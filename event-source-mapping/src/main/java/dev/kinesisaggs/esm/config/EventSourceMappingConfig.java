package dev.kinesisaggs.esm.config;

import dev.kinesisaggs.esm.filter.FilterCriteria;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The settings of one event source mapping, with AWS's own names, ranges and defaults
 * ({@code CreateEventSourceMapping}), plus the knobs AWS does not document (spec §9), each
 * with the spec's recommended default. Build with {@link #builder()}; {@code build()} refuses
 * any value AWS would refuse, with one sentence saying what to change.
 */
public record EventSourceMappingConfig(
        String mappingId,
        String functionArn,
        String invokeIdentityArn,
        String awsRegion,
        int batchSize,
        int maximumBatchingWindowInSeconds,
        StartingPosition startingPosition,
        Optional<Instant> startingPositionTimestamp,
        int tumblingWindowInSeconds,
        int maximumRetryAttempts,
        int maximumRecordAgeInSeconds,
        boolean bisectBatchOnFunctionError,
        boolean reportBatchItemFailures,
        int parallelizationFactor,
        Optional<String> onFailureDestination,
        Duration functionTimeout,
        Optional<Integer> maxConcurrency,
        FilterCriteria filterCriteria,
        // knobs where AWS is silent (spec §9)
        Duration pollInterval,
        Duration retryBackoffInitial,
        Duration retryBackoffMax,
        Duration windowIdleGrace,
        FinalInvokeRecords finalInvokeRecords,
        int maxStateBytes,
        int maxPayloadBytes,
        boolean unknownItemIdentifierFailsWholeBatch) {

    /** The longest tumbling window AWS allows, in seconds ({@code TumblingWindowInSeconds} is 0 to 900). */
    public static final int MAX_TUMBLING_WINDOW_SECONDS = 900;

    public static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";
    /** Lambda's synchronous invocation payload limit, which AWS applies to the whole serialised event. */
    public static final int SIX_MB = 6 * 1024 * 1024;
    public static final int ONE_MB = 1024 * 1024;

    public static Builder builder() {
        return new Builder();
    }

    public boolean hasTumblingWindow() {
        return tumblingWindowInSeconds > 0;
    }

    public boolean retriesForever() {
        return maximumRetryAttempts < 0;
    }

    public boolean discardsByAge() {
        return maximumRecordAgeInSeconds >= 0;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.mappingId = mappingId;
        b.functionArn = functionArn;
        b.invokeIdentityArn = invokeIdentityArn;
        b.awsRegion = awsRegion;
        b.batchSize = batchSize;
        b.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds;
        b.startingPosition = startingPosition;
        b.startingPositionTimestamp = startingPositionTimestamp.orElse(null);
        b.tumblingWindowInSeconds = tumblingWindowInSeconds;
        b.maximumRetryAttempts = maximumRetryAttempts;
        b.maximumRecordAgeInSeconds = maximumRecordAgeInSeconds;
        b.bisectBatchOnFunctionError = bisectBatchOnFunctionError;
        b.reportBatchItemFailures = reportBatchItemFailures;
        b.parallelizationFactor = parallelizationFactor;
        b.onFailureDestination = onFailureDestination.orElse(null);
        b.functionTimeout = functionTimeout;
        b.maxConcurrency = maxConcurrency.orElse(null);
        b.filterCriteria = filterCriteria;
        b.pollInterval = pollInterval;
        b.retryBackoffInitial = retryBackoffInitial;
        b.retryBackoffMax = retryBackoffMax;
        b.windowIdleGrace = windowIdleGrace;
        b.finalInvokeRecords = finalInvokeRecords;
        b.maxStateBytes = maxStateBytes;
        b.maxPayloadBytes = maxPayloadBytes;
        b.unknownItemIdentifierFailsWholeBatch = unknownItemIdentifierFailsWholeBatch;
        return b;
    }

    public static final class Builder {
        private String mappingId = "local-esm";
        private String functionArn = "arn:aws:lambda:us-east-1:000000000000:function:local-function";
        private String invokeIdentityArn = "arn:aws:iam::000000000000:role/local-esm-role";
        private String awsRegion = "us-east-1";
        private int batchSize = 100;
        private int maximumBatchingWindowInSeconds = 0;
        private StartingPosition startingPosition = StartingPosition.LATEST;
        private Instant startingPositionTimestamp;
        private int tumblingWindowInSeconds = 0;
        private int maximumRetryAttempts = -1;
        private int maximumRecordAgeInSeconds = -1;
        private boolean bisectBatchOnFunctionError = false;
        private boolean reportBatchItemFailures = false;
        private int parallelizationFactor = 1;
        private String onFailureDestination;
        // AWS's default function timeout is 3 s.
        private Duration functionTimeout = Duration.ofSeconds(3);
        private Integer maxConcurrency;
        private FilterCriteria filterCriteria = FilterCriteria.none();
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration retryBackoffInitial = Duration.ofSeconds(1);
        private Duration retryBackoffMax = Duration.ofSeconds(60);
        private Duration windowIdleGrace = Duration.ofSeconds(120);
        private FinalInvokeRecords finalInvokeRecords = FinalInvokeRecords.EMPTY;
        private int maxStateBytes = ONE_MB;
        private int maxPayloadBytes = SIX_MB;
        private boolean unknownItemIdentifierFailsWholeBatch = true;

        private Builder() {
        }

        /** Names this mapping's checkpoints: keep it stable across restarts. */
        public Builder mappingId(String v) { mappingId = v; return this; }
        public Builder functionArn(String v) { functionArn = v; return this; }
        public Builder invokeIdentityArn(String v) { invokeIdentityArn = v; return this; }
        public Builder awsRegion(String v) { awsRegion = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder maximumBatchingWindowInSeconds(int v) { maximumBatchingWindowInSeconds = v; return this; }
        public Builder startingPosition(StartingPosition v) { startingPosition = v; return this; }
        public Builder startingPositionTimestamp(Instant v) { startingPositionTimestamp = v; return this; }
        public Builder tumblingWindowInSeconds(int v) { tumblingWindowInSeconds = v; return this; }
        public Builder maximumRetryAttempts(int v) { maximumRetryAttempts = v; return this; }
        public Builder maximumRecordAgeInSeconds(int v) { maximumRecordAgeInSeconds = v; return this; }
        public Builder bisectBatchOnFunctionError(boolean v) { bisectBatchOnFunctionError = v; return this; }
        public Builder reportBatchItemFailures(boolean v) { reportBatchItemFailures = v; return this; }

        /** AWS's {@code FunctionResponseTypes}: empty, or exactly {@code ReportBatchItemFailures}. */
        public Builder functionResponseTypes(java.util.Collection<String> types) {
            for (String t : types) {
                if (!REPORT_BATCH_ITEM_FAILURES.equals(t)) {
                    throw new InvalidConfigException("FunctionResponseTypes accepts only \"ReportBatchItemFailures\", not \"" + t + "\".");
                }
            }
            reportBatchItemFailures = !types.isEmpty();
            return this;
        }

        public Builder parallelizationFactor(int v) { parallelizationFactor = v; return this; }
        /** A JSON-lines file path, an SQS queue URL or an SQS queue ARN; null for none. */
        public Builder onFailureDestination(String v) { onFailureDestination = v; return this; }
        public Builder functionTimeout(Duration v) { functionTimeout = v; return this; }
        /**
         * The function's concurrency limit, as its reserved concurrency sets it on Lambda (a setting of the function,
         * not of the mapping): invocations beyond it are throttled and retried without consuming MaximumRetryAttempts.
         * Null (the default) for no limit.
         */
        public Builder maxConcurrency(Integer v) { maxConcurrency = v; return this; }
        /**
         * AWS's {@code FilterCriteria} in its JSON form, {@code {"Filters":[{"Pattern":"{\"data\":{\"vendorId\":[2]}}"}]}}:
         * records no filter matches are not delivered and are checkpointed past. Refused, in one sentence, as AWS would.
         */
        public Builder filterCriteria(String awsJson) { filterCriteria = FilterCriteria.parse(awsJson); return this; }
        public Builder filterCriteria(FilterCriteria v) { filterCriteria = v; return this; }
        public Builder pollInterval(Duration v) { pollInterval = v; return this; }
        public Builder retryBackoffInitial(Duration v) { retryBackoffInitial = v; return this; }
        public Builder retryBackoffMax(Duration v) { retryBackoffMax = v; return this; }
        public Builder windowIdleGrace(Duration v) { windowIdleGrace = v; return this; }
        public Builder finalInvokeRecords(FinalInvokeRecords v) { finalInvokeRecords = v; return this; }
        public Builder maxStateBytes(int v) { maxStateBytes = v; return this; }
        public Builder maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
        public Builder unknownItemIdentifierFailsWholeBatch(boolean v) { unknownItemIdentifierFailsWholeBatch = v; return this; }

        public EventSourceMappingConfig build() {
            require(mappingId != null && !mappingId.isBlank(), "The mapping id must not be empty: give a stable name, it keys the checkpoints.");
            require(functionArn != null && !functionArn.isBlank(), "The function ARN must not be empty.");
            inRange("BatchSize", batchSize, 1, 10_000);
            inRange("MaximumBatchingWindowInSeconds", maximumBatchingWindowInSeconds, 0, 300);
            require(startingPosition != null, "StartingPosition is required: use LATEST, TRIM_HORIZON or AT_TIMESTAMP.");
            require(startingPosition != StartingPosition.AT_TIMESTAMP || startingPositionTimestamp != null,
                    "StartingPosition AT_TIMESTAMP needs a StartingPositionTimestamp: give one, or use LATEST or TRIM_HORIZON.");
            require(startingPosition == StartingPosition.AT_TIMESTAMP || startingPositionTimestamp == null,
                    "StartingPositionTimestamp is only allowed with StartingPosition AT_TIMESTAMP: remove it or set AT_TIMESTAMP.");
            inRange("TumblingWindowInSeconds", tumblingWindowInSeconds, 0, MAX_TUMBLING_WINDOW_SECONDS);
            inRange("MaximumRetryAttempts", maximumRetryAttempts, -1, 10_000);
            require(maximumRecordAgeInSeconds == -1 || (maximumRecordAgeInSeconds >= 60 && maximumRecordAgeInSeconds <= 604_800),
                    "MaximumRecordAgeInSeconds must be -1 (never discard) or between 60 and 604800, not " + maximumRecordAgeInSeconds + ".");
            inRange("ParallelizationFactor", parallelizationFactor, 1, 10);
            require(!(parallelizationFactor > 1 && tumblingWindowInSeconds > 0),
                    "ParallelizationFactor must be 1 when TumblingWindowInSeconds is set: set one of them back (to 1, or to 0).");
            require(functionTimeout != null && !functionTimeout.isNegative()
                            && functionTimeout.compareTo(Duration.ofSeconds(1)) >= 0 && functionTimeout.compareTo(Duration.ofSeconds(900)) <= 0,
                    "The function timeout must be between 1 and 900 seconds, not " + (functionTimeout == null ? "none"
                            : functionTimeout.toMillis() % 1000 == 0 ? functionTimeout.toSeconds() + " s" : functionTimeout.toMillis() + " ms") + ".");
            require(maxConcurrency == null || maxConcurrency >= 0,
                    "maxConcurrency (the function's reserved concurrency) must be 0 or more, not " + maxConcurrency + "; leave it out for no limit.");
            require(filterCriteria != null, "FilterCriteria must not be null: leave it out for no filtering.");
            positive("poll interval", pollInterval);
            positive("initial retry backoff", retryBackoffInitial);
            positive("maximum retry backoff", retryBackoffMax);
            require(retryBackoffMax.compareTo(retryBackoffInitial) >= 0, "The maximum retry backoff must not be shorter than the initial one.");
            require(windowIdleGrace != null && !windowIdleGrace.isNegative(), "The window idle grace must be zero or more.");
            require(finalInvokeRecords != null, "Final invoke records must be EMPTY or LAST_CHUNK.");
            require(maxStateBytes > 0, "The maximum state size must be positive.");
            require(maxPayloadBytes > 0, "The maximum payload size must be positive.");
            require(onFailureDestination == null || !onFailureDestination.isBlank(),
                    "The on-failure destination must not be blank: give a file path, an SQS queue or an S3 bucket ARN, or leave it out.");
            return new EventSourceMappingConfig(mappingId, functionArn, invokeIdentityArn, awsRegion, batchSize,
                    maximumBatchingWindowInSeconds, startingPosition, Optional.ofNullable(startingPositionTimestamp),
                    tumblingWindowInSeconds, maximumRetryAttempts, maximumRecordAgeInSeconds, bisectBatchOnFunctionError,
                    reportBatchItemFailures, parallelizationFactor, Optional.ofNullable(onFailureDestination), functionTimeout,
                    Optional.ofNullable(maxConcurrency), filterCriteria,
                    pollInterval, retryBackoffInitial, retryBackoffMax, windowIdleGrace, finalInvokeRecords, maxStateBytes,
                    maxPayloadBytes, unknownItemIdentifierFailsWholeBatch);
        }

        private static void inRange(String name, int value, int min, int max) {
            require(value >= min && value <= max, name + " must be between " + min + " and " + max + ", not " + value + ".");
        }

        private static void positive(String name, Duration d) {
            require(d != null && !d.isNegative() && !d.isZero(), "The " + name + " must be positive.");
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new InvalidConfigException(message);
            }
        }
    }
}
