package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §1.2, §2 and §3.1: starting positions, cutting batches, and the event Lambda sends. */
class BatchingTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EventSourceMappingConfig.Builder trimHorizon() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON);
    }

    private static EsmTestDriver driver(EventSourceMappingConfig config) {
        return EsmTestDriver.builder().config(config).kinesisHandler(TestHandlers.accepting()).build();
    }

    private static List<Instant> times(List<DeliveredInvocation> invocations) {
        return invocations.stream().map(DeliveredInvocation::at).toList();
    }

    @Test
    void withNoBatchingWindowRecordsAreDeliveredAtTheFirstPollAfterTheyArrive() {
        EsmTestDriver driver = driver(trimHorizon().build());
        driver.append("a", 0.5);
        driver.append("b", 1.5);

        driver.advance(Duration.ofSeconds(3));

        assertThat(describe(driver.invocations())).containsExactly("[a]", "[b]");
        assertThat(times(driver.invocations())).containsExactly(T0.plusSeconds(1), T0.plusSeconds(2));
    }

    @Test
    void aBatchHoldsAtMostBatchSizeRecords() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().batchSize(2).build()).start(T0.plusSeconds(10))
                .kinesisHandler(TestHandlers.accepting()).build();
        for (String s : List.of("a", "b", "c", "d", "e")) {
            driver.append(driver.shard(0), s, T0);
        }

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly("[a,b]", "[c,d]", "[e]");
    }

    @Test
    void theBatchingWindowBeginsWhenThePreviousInvocationCompletes() {
        EsmTestDriver driver = driver(trimHorizon().maximumBatchingWindowInSeconds(10).build());
        driver.append("a", 0.5);
        driver.append("b", 11);
        driver.append("c", 15);
        driver.append("d", 21);

        driver.advance(Duration.ofSeconds(40));

        // the first window runs from the start of the mapping; each next one from the end of the previous invocation
        assertThat(describe(driver.invocations())).containsExactly("[a]", "[b,c]", "[d]");
        assertThat(times(driver.invocations())).containsExactly(T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30));
    }

    @Test
    void aFullBatchIsDeliveredBeforeTheBatchingWindowEnds() {
        EsmTestDriver driver = driver(trimHorizon().batchSize(2).maximumBatchingWindowInSeconds(60).build());
        driver.append("a", 0.5);
        driver.append("b", 0.6);

        driver.advance(Duration.ofSeconds(2));

        assertThat(describe(driver.invocations())).containsExactly("[a,b]");
        assertThat(times(driver.invocations())).containsExactly(T0.plusSeconds(1));
    }

    @Test
    void aBatchIsCutWhenItsEventWouldExceedSixMegabytes() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().build()).start(T0.plusSeconds(10))
                .kinesisHandler(TestHandlers.accepting()).build();
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] oneMegabyte = new byte[1_000_000];
            Arrays.fill(oneMegabyte, (byte) ('a' + i));
            records.add(driver.stream().append(driver.shard(0), "pk", oneMegabyte, T0));
        }

        driver.runUntilIdle();

        // base64 makes each 1 MB record about 1.33 MB of JSON: four fit under 6 MB, five do not
        assertThat(driver.invocations()).extracting(DeliveredInvocation::recordCount).containsExactly(4, 2);
        DeliveredInvocation first = driver.invocations().get(0);
        int firstBytes = first.eventJson().getBytes(StandardCharsets.UTF_8).length;
        int fifthRecordBytes = new EventJson(driver.stream().streamArn(), "us-east-1", "arn:aws:iam::000000000000:role/local-esm-role")
                .recordBytes(records.get(4));
        assertThat(firstBytes).isLessThanOrEqualTo(EventSourceMappingConfig.SIX_MB);
        assertThat(firstBytes + 1 + fifthRecordBytes).isGreaterThan(EventSourceMappingConfig.SIX_MB);
    }

    @Test
    void aSingleRecordWhoseEventExceedsSixMegabytesGoesToTheDestinationWithoutInvokingTheFunction() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().build()).start(T0.plusSeconds(10))
                .kinesisHandler(TestHandlers.accepting()).build();
        StreamRecord huge = driver.stream().append(driver.shard(0), "pk", new byte[5_000_000], T0);
        StreamRecord small = driver.append(driver.shard(0), "small", T0.plusSeconds(1));

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly("[small]");
        assertThat(driver.destinationRecords()).hasSize(1);
        JsonNode failure = driver.destinationRecords().get(0);
        assertThat(failure.path("requestContext").path("condition").asText()).isEqualTo(FailureRecords.PAYLOAD_TOO_LARGE);
        assertThat(failure.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(huge.sequenceNumber());
        assertThat(failure.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(1);
        assertThat(failure.has("responseContext")).isFalse();
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(small.sequenceNumber()));
    }

    @Test
    void theEventHasTheShapeLambdaSends() {
        EsmTestDriver driver = driver(trimHorizon().build());
        StreamRecord r = driver.append("Hello, this is a test.", 1.987);

        driver.advance(Duration.ofSeconds(2));

        JsonNode record = driver.invocations().get(0).event().path("Records").get(0);
        JsonNode kinesis = record.path("kinesis");
        assertThat(kinesis.path("kinesisSchemaVersion").asText()).isEqualTo("1.0");
        assertThat(kinesis.path("partitionKey").asText()).isEqualTo("pk-Hello, this is a test.");
        assertThat(kinesis.path("sequenceNumber").asText()).isEqualTo(r.sequenceNumber()).hasSize(56);
        assertThat(kinesis.path("data").asText()).isEqualTo("SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==");
        assertThat(kinesis.path("approximateArrivalTimestamp").isNumber()).isTrue();
        assertThat(kinesis.path("approximateArrivalTimestamp").decimalValue()).isEqualByComparingTo("1704067201.987");
        assertThat(record.path("eventSource").asText()).isEqualTo("aws:kinesis");
        assertThat(record.path("eventVersion").asText()).isEqualTo("1.0");
        assertThat(record.path("eventID").asText()).isEqualTo(driver.shard(0) + ":" + r.sequenceNumber());
        assertThat(record.path("eventName").asText()).isEqualTo("aws:kinesis:record");
        assertThat(record.path("invokeIdentityArn").asText()).isEqualTo("arn:aws:iam::000000000000:role/local-esm-role");
        assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(record.path("eventSourceARN").asText()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/test-stream");
        assertThat(kinesis.has("encryptionType")).isFalse();
    }

    @Test
    void theHandlerReceivesTheEventAsTheJavaRuntimeDeserialisesIt() {
        List<KinesisEvent> seen = new ArrayList<>();
        RequestHandler<KinesisEvent, Void> capturing = (event, context) -> {
            seen.add(event);
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().build()).kinesisHandler(capturing).build();
        StreamRecord r = driver.append("payload", 1.25);

        driver.advance(Duration.ofSeconds(2));

        KinesisEvent.KinesisEventRecord record = seen.get(0).getRecords().get(0);
        assertThat(TestHandlers.text(record)).isEqualTo("payload");
        assertThat(record.getEventSourceARN()).isEqualTo(driver.stream().streamArn());
        assertThat(record.getEventID()).isEqualTo(driver.shard(0) + ":" + r.sequenceNumber());
        assertThat(record.getKinesis().getSequenceNumber()).isEqualTo(r.sequenceNumber());
        assertThat(record.getKinesis().getApproximateArrivalTimestamp().toInstant()).isEqualTo(T0.plusMillis(1250));
    }

    @Test
    void theCheckpointAdvancesToTheLastRecordOfEachSuccessfulBatch() {
        EsmTestDriver driver = driver(trimHorizon().build());
        StreamRecord a = driver.append("a", 0.5);
        StreamRecord b = driver.append("b", 1.5);

        driver.advance(Duration.ofSeconds(3));

        assertThat(driver.checkpointHistory()).extracting(s -> s.checkpoint())
                .containsExactly(Checkpoint.at(a.sequenceNumber()), Checkpoint.at(b.sequenceNumber()));
    }

    @Test
    void latestSkipsTheRecordsAlreadyInTheStream() {
        EsmTestDriver driver = EsmTestDriver.builder().config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.LATEST).build())
                .start(T0.plusSeconds(10)).kinesisHandler(TestHandlers.accepting()).build();
        driver.append(driver.shard(0), "old", T0);
        driver.runUntilIdle();
        driver.append(driver.shard(0), "new", T0.plusSeconds(11));

        driver.advance(Duration.ofSeconds(2));

        assertThat(describe(driver.invocations())).containsExactly("[new]");
    }

    @Test
    void atTimestampStartsAtTheFirstRecordArrivedAtOrAfterTheTimestamp() {
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().startingPosition(StartingPosition.AT_TIMESTAMP)
                .startingPositionTimestamp(T0.plusSeconds(5)).build();
        EsmTestDriver driver = EsmTestDriver.builder().config(config).start(T0.plusSeconds(10))
                .kinesisHandler(TestHandlers.accepting()).build();
        driver.append(driver.shard(0), "before", T0.plusSeconds(4));
        driver.append(driver.shard(0), "at", T0.plusSeconds(5));
        driver.append(driver.shard(0), "after", T0.plusSeconds(6));

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly("[at,after]");
    }

    @Test
    void theStartingPositionAppliesOnlyToShardsWithoutACheckpoint() {
        EsmTestDriver driver = EsmTestDriver.builder().config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.LATEST).build())
                .kinesisHandler(TestHandlers.accepting()).build();
        driver.runUntilIdle();
        driver.append("a", 1);
        driver.advance(Duration.ofSeconds(2));
        // while the mapping is down, a record arrives; LATEST would skip it, the checkpoint does not
        driver.append("b", 3);
        driver.advance(Duration.ofSeconds(2));
        driver.restart();

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly("[a]", "[b]");
    }

    @Test
    void aMappingStartedAtLatestAndStoppedBeforeItsFirstCheckpointResumesWhereItStartedNotAtANewLatest() {
        // found by a probe: consume stopped 4 s after its start, before its first invocation returned; started again,
        // it took LATEST anew and the 300 trips put meanwhile were never delivered
        EsmTestDriver driver = EsmTestDriver.builder().config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.LATEST).build())
                .start(T0.plusSeconds(10)).kinesisHandler(TestHandlers.accepting()).build();
        driver.append(driver.shard(0), "old", T0);
        driver.runUntilIdle();
        assertThat(driver.checkpoint(driver.shard(0))).as("where the mapping started, kept before it read anything")
                .contains(Checkpoint.startsAt(ShardPosition.atTimestamp(T0.plusSeconds(10).minus(ShardPosition.LATEST_CLOCK_MARGIN))));
        // put while the mapping is stopped, before it read it
        StreamRecord put = driver.append(driver.shard(0), "put", T0.plusSeconds(11));
        driver.restart();

        driver.advance(Duration.ofSeconds(2));

        assertThat(describe(driver.invocations())).containsExactly("[put]");
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(put.sequenceNumber()));
    }

    @Test
    void aMappingAtLatestThatReadRecordsButInvokedNothingResumesAtTheFirstOfThemExactlyNotAClockMarginBefore() {
        EsmTestDriver driver = EsmTestDriver.builder().config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.LATEST)
                .maximumBatchingWindowInSeconds(300).build()).start(T0.plusSeconds(10)).kinesisHandler(TestHandlers.accepting()).build();
        // put just before the start: within the clock margin, but before this mapping's LATEST
        driver.append(driver.shard(0), "before", T0.plusSeconds(8));
        driver.runUntilIdle();
        StreamRecord first = driver.append(driver.shard(0), "first", T0.plusSeconds(11));
        driver.advance(Duration.ofSeconds(2)); // read, and held by the batching window
        assertThat(driver.invocations()).isEmpty();
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.startsAt(ShardPosition.atSequenceNumber(first.sequenceNumber())));
        driver.append(driver.shard(0), "second", T0.plusSeconds(13));
        driver.restart();

        driver.advance(Duration.ofSeconds(302));

        assertThat(describe(driver.invocations())).containsExactly("[first,second]");
    }

    @Test
    void eachShardIsProcessedInOrderAndABatchHoldsRecordsOfOneShardOnly() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon().build()).shards(2).start(T0.plusSeconds(10))
                .kinesisHandler(TestHandlers.accepting()).build();
        driver.append(driver.shard(0), "a1", T0);
        driver.append(driver.shard(1), "b1", T0);
        driver.append(driver.shard(0), "a2", T0.plusSeconds(1));
        driver.append(driver.shard(1), "b2", T0.plusSeconds(1));

        driver.runUntilIdle();

        assertThat(describe(driver.invocations(driver.shard(0)))).containsExactly("[a1,a2]");
        assertThat(describe(driver.invocations(driver.shard(1)))).containsExactly("[b1,b2]");
    }
}
