package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §5.2: throttled invocations (a concurrency limit, as a reserved concurrency sets it). */
class ThrottlingTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EventSourceMappingConfig.Builder limitedToOne() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).maxConcurrency(1);
    }

    @Test
    void throttledInvocationsAreRetriedWithoutConsumingMaximumRetryAttempts() {
        EsmTestDriver driver = EsmTestDriver.builder().config(limitedToOne().maximumRetryAttempts(0).build()).start(T0)
                .kinesisHandler(TestHandlers.accepting()).build();
        // the function's one unit of concurrency is taken by another invoker of the function
        driver.functionConcurrency().occupy(1);
        StreamRecord a = driver.append("a", 1);

        driver.advance(Duration.ofSeconds(10));
        assertThat(driver.invocations()).isEmpty();
        assertThat(driver.destinationRecords()).isEmpty();

        driver.functionConcurrency().release(1);
        driver.advance(Duration.ofSeconds(20));

        // throttled at 1, 2, 4 and 8 s (the retry backoff); delivered at 16 s although MaximumRetryAttempts is 0
        assertThat(driver.functionConcurrency().throttles()).isEqualTo(4);
        assertThat(describe(driver.invocations())).containsExactly("[a]");
        assertThat(driver.invocations().get(0).at()).isEqualTo(T0.plusSeconds(16));
        assertThat(driver.destinationRecords()).isEmpty();
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(a.sequenceNumber()));
    }

    @Test
    void aThrottledBatchStillExpiresByMaximumRecordAge() {
        EsmTestDriver driver = EsmTestDriver.builder().config(limitedToOne().maxConcurrency(0).maximumRecordAgeInSeconds(60).build())
                .start(T0).kinesisHandler(TestHandlers.accepting()).build();
        StreamRecord a = driver.append("a", 1);

        driver.advance(Duration.ofSeconds(100));

        // throttled at 1, 2, 4, 8, 16, 32 s; at 64 s the record is 63 s old: to the destination, the function never ran
        assertThat(driver.invocations()).isEmpty();
        assertThat(driver.destinationRecords()).singleElement().satisfies(f -> {
            assertThat(f.path("requestContext").path("condition").asText()).isEqualTo(FailureRecords.RECORD_AGE_EXCEEDED);
            assertThat(f.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
            assertThat(f.has("responseContext")).isFalse();
            assertThat(f.path("timestamp").asText()).isEqualTo("2024-01-01T00:01:04.000Z");
            assertThat(f.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(a.sequenceNumber());
        });
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(a.sequenceNumber()));
    }

    @Test
    void aFunctionErrorAfterThrottlesStillCountsAsTheFirstAttempt() {
        EsmTestDriver driver = EsmTestDriver.builder().config(limitedToOne().maximumRetryAttempts(1).build()).start(T0)
                .kinesisHandler(TestHandlers.throwingOn("a"::equals)).build();
        driver.functionConcurrency().occupy(1);
        driver.append("a", 1);
        driver.advance(Duration.ofSeconds(3));
        driver.functionConcurrency().release(1);

        driver.advance(Duration.ofSeconds(30));

        assertThat(describe(driver.invocations())).containsExactly("[a]", "[a]");
        assertThat(driver.destinationRecords()).singleElement().satisfies(f -> {
            assertThat(f.path("requestContext").path("condition").asText()).isEqualTo(FailureRecords.RETRY_ATTEMPTS_EXHAUSTED);
            assertThat(f.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2);
        });
    }
}
