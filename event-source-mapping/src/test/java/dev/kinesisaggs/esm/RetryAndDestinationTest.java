package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import dev.kinesisaggs.esm.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §5.1-§5.3 and §5.6: retries, backoff, timeouts, record age and the on-failure record. */
class RetryAndDestinationTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EventSourceMappingConfig.Builder trimHorizon() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON);
    }

    private static List<Long> secondsOf(List<DeliveredInvocation> invocations) {
        return invocations.stream().map(i -> Duration.between(T0, i.at()).toSeconds()).toList();
    }

    @Test
    void aFailedBatchIsRetriedWithExponentialBackoffWhileTheShardWaits() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().maximumRetryAttempts(3).build())
                .kinesisHandler(TestHandlers.throwingOn("bad"::equals)).build();
        driver.append("bad", 0.5);
        driver.append("next", 0.6);
        driver.append("later", 3);

        driver.advance(Duration.ofSeconds(20));

        // 1 invocation + 3 retries after 1, 2 and 4 s; nothing else of the shard is delivered meanwhile
        assertThat(describe(driver.invocations())).containsExactly("[bad,next]", "[bad,next]", "[bad,next]", "[bad,next]", "[later]");
        assertThat(secondsOf(driver.invocations())).containsExactly(1L, 2L, 4L, 8L, 8L);
    }

    @Test
    void whenRetriesAreExhaustedTheDestinationGetsExactlyTheDocumentedRecord() throws Exception {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().maximumRetryAttempts(2).build())
                .kinesisHandler(TestHandlers.throwingOn("bad"::equals)).build();
        StreamRecord bad = driver.append("bad", 0.5);
        StreamRecord next = driver.append("next", 0.75);

        driver.advance(Duration.ofSeconds(10));

        JsonNode expected = EventJson.mapper().readTree("""
                {
                  "requestContext": {
                    "requestId": "00000000-0000-0000-0000-000000000003",
                    "functionArn": "arn:aws:lambda:us-east-1:000000000000:function:local-function",
                    "condition": "RetryAttemptsExhausted",
                    "approximateInvokeCount": 3
                  },
                  "responseContext": {
                    "statusCode": 200,
                    "executedVersion": "$LATEST",
                    "functionError": "Unhandled"
                  },
                  "version": "1.0",
                  "timestamp": "2024-01-01T00:00:04.000Z",
                  "KinesisBatchInfo": {
                    "shardId": "shardId-000000000000",
                    "startSequenceNumber": "%s",
                    "endSequenceNumber": "%s",
                    "approximateArrivalOfFirstRecord": "2024-01-01T00:00:00.500Z",
                    "approximateArrivalOfLastRecord": "2024-01-01T00:00:00.750Z",
                    "batchSize": 2,
                    "streamArn": "arn:aws:kinesis:us-east-1:000000000000:stream/test-stream"
                  }
                }
                """.formatted(bad.sequenceNumber(), next.sequenceNumber()));
        assertThat(driver.destinationRecords()).containsExactly((com.fasterxml.jackson.databind.node.ObjectNode) expected);
        assertThat(driver.invocations()).hasSize(3);
        // discarded records are checkpointed: processing continues after them
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(next.sequenceNumber()));
    }

    @Test
    void maximumRetryAttemptsZeroInvokesOnceThenDiscards() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().maximumRetryAttempts(0).build())
                .kinesisHandler(TestHandlers.throwingOn("bad"::equals)).build();
        driver.append("bad", 0.5);

        driver.advance(Duration.ofSeconds(30));

        assertThat(driver.invocations()).hasSize(1);
        assertThat(driver.destinationRecords()).singleElement()
                .satisfies(r -> assertThat(r.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1));
    }

    @Test
    void theBackoffDoublesUpToItsCap() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().build())
                .kinesisHandler(TestHandlers.throwingOn("bad"::equals)).build();
        driver.append("bad", 0.5);

        driver.advance(Duration.ofSeconds(300));

        // infinite retries by default: 1, 2, 4, 8, 16, 32, then every 60 s
        assertThat(secondsOf(driver.invocations())).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 124L, 184L, 244L);
        assertThat(driver.destinationRecords()).isEmpty();
        assertThat(driver.status().shards().get(0).phase()).isEqualTo("RETRYING");
        assertThat(driver.status().shards().get(0).failedInvocations()).isEqualTo(10);
    }

    @Test
    void withInfiniteRetriesAFailingBatchIsRetriedUntilItsRecordsExceedTheMaximumAge() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().maximumRecordAgeInSeconds(60).build())
                .kinesisHandler(TestHandlers.throwingOn("bad"::equals)).build();
        driver.append("bad", 0.5);

        driver.advance(Duration.ofSeconds(120));

        assertThat(secondsOf(driver.invocations())).containsExactly(1L, 2L, 4L, 8L, 16L, 32L);
        JsonNode failure = driver.destinationRecords().get(0);
        assertThat(failure.path("requestContext").path("condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(failure.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(6);
        assertThat(failure.has("responseContext")).isFalse();
        assertThat(failure.path("timestamp").asText()).isEqualTo("2024-01-01T00:01:04.000Z");
    }

    @Test
    void recordsOlderThanMaximumRecordAgeGoToTheDestinationWithoutInvokingTheFunction() {
        List<String> delivered = new ArrayList<>();
        RequestHandler<KinesisEvent, Void> recording = (event, context) -> {
            event.getRecords().forEach(r -> delivered.add(TestHandlers.text(r)));
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().maximumRecordAgeInSeconds(60).build())
                .start(T0.plusSeconds(300)).kinesisHandler(recording).build();
        StreamRecord old = driver.append(driver.shard(0), "old", T0);
        for (int i = 1; i <= 5; i++) {
            driver.append(driver.shard(0), "fresh" + i, T0.plusSeconds(290 + i));
        }

        driver.runUntilIdle();

        assertThat(delivered).containsExactly("fresh1", "fresh2", "fresh3", "fresh4", "fresh5");
        assertThat(driver.invocations()).hasSize(1);
        JsonNode failure = driver.destinationRecords().get(0);
        assertThat(driver.destinationRecords()).hasSize(1);
        assertThat(failure.path("requestContext").path("condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(failure.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(failure.has("responseContext")).isFalse();
        assertThat(failure.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(1);
        assertThat(failure.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(old.sequenceNumber());
        assertThat(failure.path("KinesisBatchInfo").path("endSequenceNumber").asText()).isEqualTo(old.sequenceNumber());
    }

    @Test
    void aHandlerThatOverrunsTheFunctionTimeoutIsAFailedInvocation() {
        ManualClock clock = new ManualClock(T0);
        RequestHandler<KinesisEvent, Void> slow = (event, context) -> {
            clock.advance(Duration.ofMillis(3001));
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().functionTimeout(Duration.ofSeconds(3)).maximumRetryAttempts(0).build())
                .clock(clock).kinesisHandler(slow).build();
        driver.append("a", 0.5);

        driver.advance(Duration.ofSeconds(10));

        assertThat(driver.invocations()).singleElement().satisfies(i -> assertThat(i.result()).isInstanceOf(InvocationResult.TimedOut.class));
        assertThat(driver.destinationRecords()).singleElement()
                .satisfies(r -> assertThat(r.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled"));
    }

    @Test
    void aHandlerThatFinishesWithinTheTimeoutSucceeds() {
        ManualClock clock = new ManualClock(T0);
        List<Integer> remaining = new ArrayList<>();
        RequestHandler<KinesisEvent, Void> budgeting = (event, context) -> {
            remaining.add(context.getRemainingTimeInMillis());
            clock.advance(Duration.ofMillis(2500));
            remaining.add(context.getRemainingTimeInMillis());
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().functionTimeout(Duration.ofSeconds(3)).build())
                .clock(clock).kinesisHandler(budgeting).build();
        driver.append("a", 0.5);

        driver.advance(Duration.ofSeconds(2));

        assertThat(remaining).containsExactly(3000, 500);
        assertThat(driver.invocations()).singleElement().satisfies(i -> assertThat(i.succeeded()).isTrue());
    }

    @Test
    void nothingThatSucceededIsInvokedAgainWhenALaterBatchFails() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().maximumRetryAttempts(1).build())
                .kinesisHandler(TestHandlers.throwingOn("bad"::equals)).build();
        driver.append("a", 0.5);
        driver.append("bad", 1.5);
        driver.append("c", 2.5);

        driver.advance(Duration.ofSeconds(10));

        assertThat(describe(driver.invocations())).containsExactly("[a]", "[bad]", "[bad]", "[c]");
        assertThat(driver.destinationRecords()).hasSize(1);
    }
}
