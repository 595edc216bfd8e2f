package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.FinalInvokeRecords;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.fixtures.LoggedRecords;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §4: tumbling windows. */
class TumblingWindowTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EventSourceMappingConfig.Builder windows30s() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).tumblingWindowInSeconds(30);
    }

    private static EsmTestDriver driver(EventSourceMappingConfig config) {
        return EsmTestDriver.builder().config(config).timeWindowHandler(TestHandlers.windowConcatenator()).build();
    }

    @Test
    void finalInvokeIsSentWhenARecordOfALaterWindowArrives() {
        EsmTestDriver driver = driver(windows30s().build());
        driver.append("a", 1);
        driver.append("b", 2);
        driver.append("c", 31);

        driver.advance(Duration.ofSeconds(40));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}",
                "00:00:00 [b] {\"seen\":\"a\"}",
                "00:00:00 [] {\"seen\":\"a,b\"} FINAL",
                "00:00:30 [c] {}");
        assertThat(driver.invocations().get(2).at()).isEqualTo(T0.plusSeconds(31));
    }

    @Test
    void windowBoundariesAreAlignedOnTheEpochAndFollowTheRecordsArrivalTime() {
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().tumblingWindowInSeconds(120).build())
                .start(T0.plus(Duration.parse("PT7H4M"))).timeWindowHandler(TestHandlers.windowConcatenator()).build();
        // the AWS documentation's own example: a record at 07:04:35 in a 120 s window belongs to [07:04:00, 07:06:00)
        driver.append(driver.shard(0), "a", T0.plus(Duration.parse("PT7H4M35S")));

        driver.advance(Duration.ofMinutes(1));

        DeliveredInvocation first = driver.invocations().get(0);
        assertThat(first.windowStart()).hasValue("2024-01-01T07:04:00Z");
        assertThat(first.windowEnd()).hasValue("2024-01-01T07:06:00Z");
        assertThat(first.event().path("shardId").asText()).isEqualTo(driver.shard(0));
        assertThat(first.event().path("eventSourceARN").asText()).isEqualTo(driver.stream().streamArn());
    }

    @Test
    void aBatchNeverMixesTwoWindows() {
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().build()).start(T0.plusSeconds(60))
                .timeWindowHandler(TestHandlers.windowConcatenator()).build();
        // all four are in the stream before the first poll, so they are read together
        driver.append(driver.shard(0), "a", T0.plusSeconds(28));
        driver.append(driver.shard(0), "b", T0.plusSeconds(29));
        driver.append(driver.shard(0), "c", T0.plusSeconds(31));
        driver.append(driver.shard(0), "d", T0.plusSeconds(32));

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a,b] {}",
                "00:00:00 [] {\"seen\":\"a,b\"} FINAL",
                "00:00:30 [c,d] {}");
    }

    @Test
    void finalInvokeIsSentAfterTheIdleGraceWhenNoLaterRecordArrives() {
        EsmTestDriver driver = driver(windows30s().build());
        driver.append("a", 1);

        driver.advanceTo(T0.plusSeconds(30 + 120).minusMillis(1));
        assertThat(describe(driver.invocations())).containsExactly("00:00:00 [a] {}");

        driver.advance(Duration.ofMillis(1));
        assertThat(describe(driver.invocations())).containsExactly("00:00:00 [a] {}", "00:00:00 [] {\"seen\":\"a\"} FINAL");
        assertThat(driver.invocations().get(1).at()).isEqualTo(T0.plusSeconds(150));
    }

    @Test
    void theIdleGraceIsConfigurable() {
        EsmTestDriver driver = driver(windows30s().windowIdleGrace(Duration.ofSeconds(5)).build());
        driver.append("a", 1);

        driver.advance(Duration.ofSeconds(40));

        assertThat(driver.invocations()).hasSize(2);
        assertThat(driver.invocations().get(1).isFinalInvokeForWindow()).isTrue();
        assertThat(driver.invocations().get(1).at()).isEqualTo(T0.plusSeconds(35));
    }

    @Test
    void theWindowsRecordsAreCheckpointedOnlyAfterTheFinalInvokeSucceeds() {
        EsmTestDriver driver = driver(windows30s().build());
        driver.append("a", 1);
        StreamRecord b = driver.append("b", 2);

        driver.advance(Duration.ofSeconds(29));
        assertThat(driver.invocations()).hasSize(2);
        assertThat(driver.checkpoint(driver.shard(0))).isEmpty();

        driver.advance(Duration.ofSeconds(150));
        assertThat(driver.invocations()).hasSize(3);
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(b.sequenceNumber()));
        assertThat(driver.checkpointHistory()).hasSize(1);
    }

    @Test
    void theFinalInvokeCarriesNoRecordsByDefault() {
        EsmTestDriver driver = driver(windows30s().build());
        driver.append("a", 1);
        driver.append("b", 31);

        driver.advance(Duration.ofSeconds(32));

        DeliveredInvocation fin = driver.invocations().get(1);
        assertThat(fin.isFinalInvokeForWindow()).isTrue();
        assertThat(fin.event().path("Records").isArray()).isTrue();
        assertThat(fin.recordCount()).isZero();
    }

    @Test
    void theFinalInvokeCarriesTheWindowsLastBatchWhenSoConfigured() {
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().finalInvokeRecords(FinalInvokeRecords.LAST_CHUNK).build())
                .start(T0.plusSeconds(60)).timeWindowHandler(TestHandlers.windowConcatenator()).build();
        driver.append(driver.shard(0), "a", T0.plusSeconds(28));
        driver.append(driver.shard(0), "b", T0.plusSeconds(29));
        driver.append(driver.shard(0), "c", T0.plusSeconds(31));

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a,b] {} FINAL",
                "00:00:30 [c] {}");
    }

    @Test
    void eachWindowStartsWithAnEmptyStateObjectNeverNull() {
        EsmTestDriver driver = driver(windows30s().build());
        driver.append("a", 1);

        driver.advance(Duration.ofSeconds(2));

        assertThat(driver.invocations().get(0).eventJson()).contains("\"state\":{}");
        assertThat(driver.invocations().get(0).isFinalInvokeForWindow()).isFalse();
        assertThat(driver.invocations().get(0).isWindowTerminatedEarly()).isFalse();
    }

    @Test
    void aResponseWithoutStateIsAFailedInvocation() {
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> noState = (event, context) -> new TimeWindowEventResponse();
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().maximumRetryAttempts(1).build())
                .timeWindowHandler(noState).build();
        StreamRecord a = driver.append("a", 1);

        List<java.util.logging.LogRecord> said = LoggedRecords.of("dev.kinesisaggs.esm.processor.BatchOutcomes", () -> driver.advance(Duration.ofSeconds(10)));

        assertThat(driver.invocations()).hasSize(2).noneMatch(DeliveredInvocation::succeeded);
        // said once where it is seen (the failures themselves are informational): a function without windows fails so
        assertThat(said).filteredOn(r -> r.getLevel() == java.util.logging.Level.WARNING).singleElement()
                .satisfies(r -> assertThat(r.getMessage()).contains("the function answered without a state object, which the mapping's"
                        + " tumbling windows (30 s) need").contains("a function without windows needs TumblingWindowInSeconds 0"));
        assertThat(driver.destinationRecords()).hasSize(1);
        var failure = driver.destinationRecords().get(0);
        assertThat(failure.path("requestContext").path("condition").asText()).isEqualTo(FailureRecords.RETRY_ATTEMPTS_EXHAUSTED);
        assertThat(failure.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2);
        // the function returned normally: no function error
        assertThat(failure.path("responseContext").path("functionError").isNull()).isTrue();
        assertThat(failure.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(a.sequenceNumber());
    }

    @Test
    void windowIsTerminatedEarlyWhenTheReturnedStateExceedsOneMegabyte() {
        String big = "x".repeat(1024 * 1024);
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> hoarder = (event, context) -> {
            Map<String, String> state = new HashMap<>(event.getState());
            event.getRecords().forEach(r -> {
                String text = TestHandlers.text(r);
                state.put(text, text.equals("big") ? big : "1");
            });
            return TimeWindowEventResponse.builder().withState(state).build();
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().build()).timeWindowHandler(hoarder).build();
        StreamRecord first = driver.append("big", 1);
        driver.append("small", 2);

        driver.advance(Duration.ofSeconds(3));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [big] {}",
                "00:00:00 [] {1048586 bytes} FINAL EARLY",
                "00:00:00 [small] {}");
        // what was handed over early is checkpointed; the same window continues with a fresh state
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(first.sequenceNumber()));
    }

    @Test
    void theShardsEndClosesTheWindowAndChildShardsStartTheirOwnWindowsWithAFreshState() {
        EsmTestDriver driver = driver(windows30s().build());
        driver.append("a", 1);
        driver.advance(Duration.ofSeconds(5));
        List<String> children = driver.stream().split(driver.shard(0));
        driver.append(children.get(0), "b", T0.plusSeconds(6));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations(driver.shard(0)))).containsExactly(
                "00:00:00 [a] {}",
                "00:00:00 [] {\"seen\":\"a\"} FINAL");
        assertThat(describe(driver.invocations(children.get(0)))).containsExactly("00:00:00 [b] {}");
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.shardEnd());
    }

    @Test
    void aFailedBatchInAWindowIsRetriedWithTheLastSuccessfullyReturnedState() {
        AtomicInteger calls = new AtomicInteger();
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> flaky = (event, context) -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("transient");
            }
            return TestHandlers.windowConcatenator().handleRequest(event, context);
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().build()).timeWindowHandler(flaky).build();
        driver.append("a", 1);
        driver.append("b", 2);

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}",
                "00:00:00 [b] {\"seen\":\"a\"}",
                "00:00:00 [b] {\"seen\":\"a\"}");
        assertThat(driver.invocations().get(2).at()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aWindowIsNotIdleWhileItsRecordsAreStillUnreadBehindABatchThatWasRetriedPastTheGrace() {
        AtomicInteger failures = new AtomicInteger();
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> failsFirstBatchForAMinute = (event, context) -> {
            boolean holdsA = event.getRecords().stream().anyMatch(r -> TestHandlers.text(r).equals("a"));
            // backoffs of 1, 2, 4, 8, 16 and 32 s: the batch succeeds at about 01:09, long after its window's end + grace
            if (holdsA && failures.incrementAndGet() <= 6) {
                throw new IllegalStateException("DynamoDB throttled");
            }
            return TestHandlers.windowConcatenator().handleRequest(event, context);
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().batchSize(2).windowIdleGrace(Duration.ofSeconds(1)).build())
                .start(T0.plusSeconds(6)).timeWindowHandler(failsFirstBatchForAMinute).build();
        // all in the stream before the first poll; one read takes only BatchSize of them
        driver.append(driver.shard(0), "a", T0.plusSeconds(1));
        driver.append(driver.shard(0), "b", T0.plusSeconds(2));
        driver.append(driver.shard(0), "c", T0.plusSeconds(3));
        driver.append(driver.shard(0), "d", T0.plusSeconds(4));
        driver.append(driver.shard(0), "e", T0.plusSeconds(5));

        driver.advance(Duration.ofMinutes(3));

        // the shard was busy, not idle: c, d and e are read and delivered in the same window before its one final invoke
        assertThat(describe(driver.invocations()).subList(6, driver.invocations().size())).containsExactly(
                "00:00:00 [a,b] {}",
                "00:00:00 [c,d] {\"seen\":\"a,b\"}",
                "00:00:00 [e] {\"seen\":\"a,b,c,d\"}",
                "00:00:00 [] {\"seen\":\"a,b,c,d,e\"} FINAL");
    }

    @Test
    void aFinalInvokeThatFailsIsRetriedAndBlocksTheShardUntilItSucceeds() {
        AtomicInteger finals = new AtomicInteger();
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> failsFirstFinal = (event, context) -> {
            if (event.getIsFinalInvokeForWindow() && finals.incrementAndGet() == 1) {
                throw new IllegalStateException("DynamoDB throttled");
            }
            return TestHandlers.windowConcatenator().handleRequest(event, context);
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().build()).timeWindowHandler(failsFirstFinal).build();
        StreamRecord a = driver.append("a", 1);
        driver.append("b", 31);

        driver.advance(Duration.ofSeconds(40));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}",
                "00:00:00 [] {\"seen\":\"a\"} FINAL",
                "00:00:00 [] {\"seen\":\"a\"} FINAL",
                "00:00:30 [b] {}");
        assertThat(driver.invocations().get(2).at()).isEqualTo(T0.plusSeconds(32));
        assertThat(driver.checkpointHistory()).extracting(s -> s.checkpoint()).containsExactly(Checkpoint.at(a.sequenceNumber()));
    }

    @Test
    void afterARestartTheOpenWindowIsReadAgainFromTheCheckpointWithAFreshState() {
        EsmTestDriver driver = driver(windows30s().build());
        driver.append("a", 1);
        driver.append("b", 31);
        driver.append("c", 32);
        driver.advance(Duration.ofSeconds(35));
        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}", "00:00:00 [] {\"seen\":\"a\"} FINAL", "00:00:30 [b] {}", "00:00:30 [c] {\"seen\":\"b\"}");

        driver.restart();
        driver.advance(Duration.ofSeconds(1));

        assertThat(describe(driver.invocations().subList(4, driver.invocations().size()))).containsExactly("00:00:30 [b,c] {}");
    }
    @Test
    void aFinalInvokeThatExhaustsItsRetriesSendsTheWindowsRecordsToTheDestinationAndTheNextWindowGoesOn() {
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> finalsFail = (event, context) -> {
            if (event.getIsFinalInvokeForWindow() && event.getWindow().getStart().equals("2024-01-01T00:00:00Z")) {
                throw new IllegalStateException("cannot write the aggregate");
            }
            return TestHandlers.windowConcatenator().handleRequest(event, context);
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().maximumRetryAttempts(1).build()).timeWindowHandler(finalsFail).build();
        StreamRecord a = driver.append("a", 1);
        StreamRecord b = driver.append("b", 2);
        driver.append("c", 31);

        driver.advance(Duration.ofSeconds(40));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}",
                "00:00:00 [b] {\"seen\":\"a\"}",
                "00:00:00 [] {\"seen\":\"a,b\"} FINAL",
                "00:00:00 [] {\"seen\":\"a,b\"} FINAL",
                "00:00:30 [c] {}");
        var failure = driver.destinationRecords().get(0);
        assertThat(driver.destinationRecords()).hasSize(1);
        assertThat(failure.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(failure.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(a.sequenceNumber());
        assertThat(failure.path("KinesisBatchInfo").path("endSequenceNumber").asText()).isEqualTo(b.sequenceNumber());
        assertThat(failure.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(2);
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(b.sequenceNumber()));
    }

    @Test
    void aBatchGivenUpInsideAWindowIsReportedOnceNotAgainWhenTheWindowsFinalInvokeIsGivenUp() {
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> failsOnBAndOnTheFirstFinal = (event, context) -> {
            boolean holdsB = event.getRecords().stream().anyMatch(r -> TestHandlers.text(r).equals("b"));
            if (holdsB || (event.getIsFinalInvokeForWindow() && event.getWindow().getStart().equals("2024-01-01T00:00:00Z"))) {
                throw new IllegalStateException("cannot handle it");
            }
            return TestHandlers.windowConcatenator().handleRequest(event, context);
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().maximumRetryAttempts(1).build())
                .timeWindowHandler(failsOnBAndOnTheFirstFinal).build();
        driver.append("a", 1);
        driver.append("b", 2);
        driver.append("c", 5);
        StreamRecord d = driver.append("d", 6);
        driver.append("e", 31);

        driver.advance(Duration.ofSeconds(40));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}",
                "00:00:00 [b] {\"seen\":\"a\"}",
                "00:00:00 [b] {\"seen\":\"a\"}",
                "00:00:00 [c] {\"seen\":\"a\"}",
                "00:00:00 [d] {\"seen\":\"a,c\"}",
                "00:00:00 [] {\"seen\":\"a,c,d\"} FINAL",
                "00:00:00 [] {\"seen\":\"a,c,d\"} FINAL",
                "00:00:30 [e] {}");
        // each record of the window in exactly one failure record: b when its batch was given up, then the rest of
        // the window, whose aggregate is lost, as the runs before and after b
        assertThat(failureRanges(driver)).containsExactly(
                "RetryAttemptsExhausted b..b 1 invokes 2",
                "RetryAttemptsExhausted a..a 1 invokes 2",
                "RetryAttemptsExhausted c..d 2 invokes 2");
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(d.sequenceNumber()));
        assertThat(driver.status().shards().get(0).recordsDiscarded()).isEqualTo(4);
    }

    @Test
    void aRecordOfAWindowDiscardedByAgeWhileRetriedIsNotReportedAgainWhenTheWindowsFinalInvokeIsGivenUp() {
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> failsOnXAndOnFinals = (event, context) -> {
            boolean holdsX = event.getRecords().stream().anyMatch(r -> TestHandlers.text(r).equals("x"));
            if (holdsX || event.getIsFinalInvokeForWindow()) {
                throw new IllegalStateException("cannot handle it");
            }
            return TestHandlers.windowConcatenator().handleRequest(event, context);
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().batchSize(1).maximumRecordAgeInSeconds(60).build())
                .start(T0.plusSeconds(32)).timeWindowHandler(failsOnXAndOnFinals).build();
        driver.append(driver.shard(0), "a", T0.plusSeconds(30));
        driver.append(driver.shard(0), "x", T0.plusSeconds(31));
        driver.append(driver.shard(0), "later", T0.plusSeconds(100));

        driver.advance(Duration.ofSeconds(80));

        // x is retried (at 32, 33, 35, 39, 47 and 63 s) until it is too old; then the window's final invoke fails and is
        // given up at its retry, a's record too old by then as well: the window's failure record names a alone
        assertThat(failureRanges(driver)).containsExactly(
                "RecordAgeExceeded x..x 1 invokes 6",
                "RecordAgeExceeded a..a 1 invokes 1");
        assertThat(describe(driver.invocations()).get(driver.invocations().size() - 1)).isEqualTo("00:01:30 [later] {}");
    }

    @Test
    void withLastChunkAFinalInvokeGivenUpNamesTheWholeWindowNotOnlyItsLastChunk() {
        RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> finalsOfTheFirstWindowFail = (event, context) -> {
            if (event.getIsFinalInvokeForWindow() && event.getWindow().getStart().equals("2024-01-01T00:00:00Z")) {
                throw new IllegalStateException("cannot write the aggregate");
            }
            return TestHandlers.windowConcatenator().handleRequest(event, context);
        };
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(windows30s().batchSize(2).finalInvokeRecords(FinalInvokeRecords.LAST_CHUNK).maximumRetryAttempts(0).build())
                .start(T0.plusSeconds(40)).timeWindowHandler(finalsOfTheFirstWindowFail).build();
        driver.append(driver.shard(0), "a", T0.plusSeconds(1));
        driver.append(driver.shard(0), "b", T0.plusSeconds(2));
        driver.append(driver.shard(0), "c", T0.plusSeconds(3));
        driver.append(driver.shard(0), "d", T0.plusSeconds(31));

        driver.advance(Duration.ofSeconds(1));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a,b] {}",
                "00:00:00 [c] {\"seen\":\"a,b\"} FINAL",
                "00:00:30 [d] {}");
        assertThat(failureRanges(driver)).containsExactly("RetryAttemptsExhausted a..c 3 invokes 1");
    }

    /** Each on-failure record as "condition first..last batchSize invokes n", records named by their data. */
    private static List<String> failureRanges(EsmTestDriver driver) {
        Map<String, String> dataBySequenceNumber = new HashMap<>();
        driver.stream().records(driver.shard(0)).forEach(r ->
                dataBySequenceNumber.put(r.sequenceNumber(), new String(r.data(), java.nio.charset.StandardCharsets.UTF_8)));
        return driver.destinationRecords().stream().map(f -> {
            var info = f.path("KinesisBatchInfo");
            return f.path("requestContext").path("condition").asText() + " "
                    + dataBySequenceNumber.get(info.path("startSequenceNumber").asText()) + ".."
                    + dataBySequenceNumber.get(info.path("endSequenceNumber").asText()) + " "
                    + info.path("batchSize").asInt() + " invokes " + f.path("requestContext").path("approximateInvokeCount").asInt();
        }).toList();
    }

    @Test
    void withLastChunkAWindowClosedByTheIdleGraceStillGetsAnEmptyFinalInvoke() {
        EsmTestDriver driver = driver(windows30s().finalInvokeRecords(FinalInvokeRecords.LAST_CHUNK).build());
        driver.append("a", 1);

        driver.advance(Duration.ofSeconds(200));

        assertThat(describe(driver.invocations())).containsExactly("00:00:00 [a] {}", "00:00:00 [] {\"seen\":\"a\"} FINAL");
    }

    @Test
    void recordsOfAWindowOlderThanTheMaximumAgeAreDiscardedAndTheWindowGoesOnWithTheOthers() {
        EsmTestDriver driver = EsmTestDriver.builder().config(windows30s().maximumRecordAgeInSeconds(60).build())
                .start(T0.plusSeconds(95)).timeWindowHandler(TestHandlers.windowConcatenator()).build();
        StreamRecord old = driver.append(driver.shard(0), "old", T0.plusSeconds(30));
        driver.append(driver.shard(0), "fresh", T0.plusSeconds(40));

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly("00:00:30 [fresh] {}");
        assertThat(driver.destinationRecords()).singleElement().satisfies(f -> {
            assertThat(f.path("requestContext").path("condition").asText()).isEqualTo("RecordAgeExceeded");
            assertThat(f.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(old.sequenceNumber());
        });
    }
}
