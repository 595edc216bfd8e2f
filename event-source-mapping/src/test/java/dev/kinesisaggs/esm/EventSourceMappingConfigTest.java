package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.FinalInvokeRecords;
import dev.kinesisaggs.esm.config.InvalidConfigException;
import dev.kinesisaggs.esm.config.StartingPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spec §2, §4, §5.1: AWS's names, ranges and defaults. */
class EventSourceMappingConfigTest {

    @Test
    void defaultsAreAwsDefaultsAndTheSpecsRecommendationsWhereAwsIsSilent() {
        EventSourceMappingConfig c = EventSourceMappingConfig.builder().build();

        assertThat(c.batchSize()).isEqualTo(100);
        assertThat(c.maximumBatchingWindowInSeconds()).isZero();
        assertThat(c.startingPosition()).isEqualTo(StartingPosition.LATEST);
        assertThat(c.tumblingWindowInSeconds()).isZero();
        assertThat(c.maximumRetryAttempts()).isEqualTo(-1);
        assertThat(c.maximumRecordAgeInSeconds()).isEqualTo(-1);
        assertThat(c.bisectBatchOnFunctionError()).isFalse();
        assertThat(c.reportBatchItemFailures()).isFalse();
        assertThat(c.parallelizationFactor()).isEqualTo(1);
        assertThat(c.functionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.retryBackoffInitial()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.windowIdleGrace()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.finalInvokeRecords()).isEqualTo(FinalInvokeRecords.EMPTY);
        assertThat(c.maxStateBytes()).isEqualTo(1_048_576);
        assertThat(c.maxPayloadBytes()).isEqualTo(6_291_456);
        assertThat(c.unknownItemIdentifierFailsWholeBatch()).isTrue();
    }

    @Test
    void theRangesLimitsAreAccepted() {
        EventSourceMappingConfig c = EventSourceMappingConfig.builder().batchSize(10_000).maximumBatchingWindowInSeconds(300)
                .tumblingWindowInSeconds(900).maximumRetryAttempts(10_000).maximumRecordAgeInSeconds(604_800)
                .parallelizationFactor(10).tumblingWindowInSeconds(0).functionTimeout(Duration.ofSeconds(900)).build();

        assertThat(c.batchSize()).isEqualTo(10_000);
        assertThat(EventSourceMappingConfig.builder().maximumRecordAgeInSeconds(60).build().maximumRecordAgeInSeconds()).isEqualTo(60);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                refused(b -> b.batchSize(0), "BatchSize must be between 1 and 10000, not 0."),
                refused(b -> b.batchSize(10_001), "BatchSize must be between 1 and 10000, not 10001."),
                refused(b -> b.maximumBatchingWindowInSeconds(301), "MaximumBatchingWindowInSeconds must be between 0 and 300, not 301."),
                refused(b -> b.tumblingWindowInSeconds(901), "TumblingWindowInSeconds must be between 0 and 900, not 901."),
                refused(b -> b.maximumRetryAttempts(-2), "MaximumRetryAttempts must be between -1 and 10000, not -2."),
                refused(b -> b.maximumRecordAgeInSeconds(59), "MaximumRecordAgeInSeconds must be -1 (never discard) or between 60 and 604800, not 59."),
                refused(b -> b.maximumRecordAgeInSeconds(0), "MaximumRecordAgeInSeconds must be -1 (never discard) or between 60 and 604800, not 0."),
                refused(b -> b.maximumRecordAgeInSeconds(604_801), "MaximumRecordAgeInSeconds must be -1 (never discard) or between 60 and 604800, not 604801."),
                refused(b -> b.parallelizationFactor(11), "ParallelizationFactor must be between 1 and 10, not 11."),
                refused(b -> b.parallelizationFactor(2).tumblingWindowInSeconds(30),
                        "ParallelizationFactor must be 1 when TumblingWindowInSeconds is set: set one of them back (to 1, or to 0)."),
                refused(b -> b.startingPosition(StartingPosition.AT_TIMESTAMP),
                        "StartingPosition AT_TIMESTAMP needs a StartingPositionTimestamp: give one, or use LATEST or TRIM_HORIZON."),
                refused(b -> b.startingPositionTimestamp(Instant.EPOCH),
                        "StartingPositionTimestamp is only allowed with StartingPosition AT_TIMESTAMP: remove it or set AT_TIMESTAMP."),
                refused(b -> b.functionTimeout(Duration.ofSeconds(901)), "The function timeout must be between 1 and 900 seconds, not 901 s."),
                refused(b -> b.functionTimeout(Duration.ofMillis(500)), "The function timeout must be between 1 and 900 seconds, not 500 ms."),
                refused(b -> b.maxConcurrency(-1), "maxConcurrency (the function's reserved concurrency) must be 0 or more, not -1; leave it out for no limit."));
    }

    private static Arguments refused(UnaryOperator<EventSourceMappingConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refused")
    void eachViolationIsRefusedWithOneClearSentence(UnaryOperator<EventSourceMappingConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(EventSourceMappingConfig.builder()).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(message);
    }

    @Test
    void functionResponseTypesAcceptsOnlyReportBatchItemFailures() {
        assertThat(EventSourceMappingConfig.builder().functionResponseTypes(List.of("ReportBatchItemFailures")).build().reportBatchItemFailures()).isTrue();
        assertThatThrownBy(() -> EventSourceMappingConfig.builder().functionResponseTypes(List.of("ReportItemFailures")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("FunctionResponseTypes accepts only \"ReportBatchItemFailures\", not \"ReportItemFailures\".");
    }
}
