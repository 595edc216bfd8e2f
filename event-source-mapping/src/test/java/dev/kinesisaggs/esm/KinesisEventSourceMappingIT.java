package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.esm.checkpoint.MappingInUseException;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.processor.InvocationListener;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import dev.kinesisaggs.esm.retrieval.ShardInfo;
import dev.kinesisaggs.localaws.LocalAwsClients;
import org.junit.jupiter.api.Test;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The same engine against the Kinesis and DynamoDB emulators: real PutRecords, several shards, a split and a merge, a restart.
 * The tests run side by side (most wait on the mapping's pace), each on a stream and mapping of its own.
 */
@ExtendWith(LocalAwsExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class KinesisEventSourceMappingIT {

    private final Clock clock = Clock.systemUTC();

    /** One delivered record: which shard, which data, and when it was delivered. */
    record Delivery(String shardId, String data, Instant at) {}

    private static String newStream(KinesisClient kinesis, int shards) {
        String name = "esm-it-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        LocalAwsClients.awaitStreamActive(kinesis, name);
        return name;
    }

    /** Puts the records in one PutRecords call; returns where each went (shard, sequence number), in order. */
    private static List<PutRecordsResultEntry> put(KinesisClient kinesis, String stream, List<String> data) {
        List<PutRecordsRequestEntry> entries = data.stream().map(d -> PutRecordsRequestEntry.builder()
                // "key-N:i": the part before ':' is the partition key, so that several records share a key
                .partitionKey(d.substring(0, d.indexOf(':')))
                .data(SdkBytes.fromString(d, StandardCharsets.UTF_8)).build()).toList();
        var response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        return response.records();
    }

    /** The last of the records put on one shard: where a mapping's checkpoint ends once it has handled them all. */
    private static String lastSequenceNumber(List<PutRecordsResultEntry> put) {
        return put.get(put.size() - 1).sequenceNumber();
    }

    private static List<String> records(String prefix, int from, int count, int keys) {
        return IntStream.range(from, from + count).mapToObj(i -> "key-" + (i % keys) + ":" + prefix + i).toList();
    }

    private static EventSourceMappingConfig.Builder config(String mappingId) {
        return EventSourceMappingConfig.builder().mappingId(mappingId).startingPosition(StartingPosition.TRIM_HORIZON)
                .pollInterval(Duration.ofMillis(200)).batchSize(50);
    }

    private RequestHandler<KinesisEvent, Void> recording(List<Delivery> into) {
        return (event, context) -> {
            event.getRecords().forEach(r -> into.add(new Delivery(r.getEventID().substring(0, r.getEventID().indexOf(':')),
                    TestHandlers.text(r), clock.instant())));
            return null;
        };
    }

    private static void waitForActive(KinesisClient kinesis, String stream) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatusAsString().equals("ACTIVE"));
    }

    /** AWS runs a mapping once: a second instance (a second {@code consume} of the same mapping) is refused, the first goes on. */
    @Test
    void aSecondInstanceOfARunningMappingIsRefusedAndTheFirstGoesOn(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        String stream = newStream(kinesis, 1);
        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", clock);
        List<Delivery> first = new CopyOnWriteArrayList<>();
        List<Delivery> second = new CopyOnWriteArrayList<>();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).build())
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(first)).build().start()) {
            try (EventSourceMapping twin = EventSourceMapping.builder().config(config(stream).build())
                    .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(second)).build()) {
                assertThatThrownBy(twin::start).isInstanceOf(MappingInUseException.class)
                        .hasMessageStartingWith("The event source mapping " + esm.identity() + " is already running");
            }
            List<String> sent = records("r", 0, 20, 4);
            put(kinesis, stream, sent);
            await().atMost(Duration.ofSeconds(60)).until(() -> first.size() >= sent.size());
            assertThat(first).extracting(Delivery::data).containsExactlyElementsOf(sent);
        }
        // stopped, it gives the mapping up at once; an instance whose lease another takes over stops and says why
        try (EventSourceMapping again = EventSourceMapping.builder().config(config(stream).build())
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(second)).build()) {
            again.start();
            assertThat(again.stoppedBecause()).isEmpty();
            dynamoDb.updateItem(b -> b.tableName("esmCheckpointsIT")
                    .key(Map.of("mappingId", AttributeValue.fromS(again.identity().uuid()), "shardId", AttributeValue.fromS("lease")))
                    .updateExpression("SET holder = :h, machine = :m, pid = :p")
                    .expressionAttributeValues(Map.of(":h", AttributeValue.fromS("another"), ":m", AttributeValue.fromS("other-host"),
                            ":p", AttributeValue.fromN("12"))));
            await().atMost(Duration.ofSeconds(20)).until(() -> again.stoppedBecause().isPresent());
            assertThat(again.stoppedBecause().get()).contains("is no longer held by this instance but by pid 12 on other-host");
            await().atMost(Duration.ofSeconds(20)).until(() -> !again.status().running());
        }
    }

    @Test
    void recordsPutOnSeveralShardsAreEachDeliveredOnceInOrderAndCheckpointedInDynamoDb(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        String stream = newStream(kinesis, 3);
        List<String> sent = records("r", 0, 300, 20);
        put(kinesis, stream, sent);
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", clock);
        KinesisStreamSource source = new KinesisStreamSource(kinesis, stream);

        try (EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).build()).source(source)
                .checkpoints(checkpoints).kinesisHandler(recording(deliveries)).build().start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.size() >= sent.size());
            await().atMost(Duration.ofSeconds(10)).until(() -> esm.status().shards().size() == 3
                    && esm.status().shards().stream().allMatch(s -> s.lastCheckpoint().isPresent()));
        }

        assertThat(deliveries).extracting(Delivery::data).containsExactlyInAnyOrderElementsOf(sent);
        assertOrderPerKey(deliveries, sent);
        for (ShardInfo shard : source.listShards()) {
            List<String> delivered = deliveries.stream().filter(d -> d.shardId().equals(shard.shardId())).map(Delivery::data).toList();
            if (!delivered.isEmpty()) {
                assertThat(checkpoints.loadByName(stream, shard.shardId())).isPresent();
            }
        }
    }

    @SuppressWarnings("try") // the mapping runs while the block waits for its effects
    @Test
    void aNewMappingResumesFromTheDynamoDbCheckpointsOfAStoppedOne(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        String stream = newStream(kinesis, 1);
        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", clock);
        List<Delivery> first = new CopyOnWriteArrayList<>();
        String lastOfFirst = lastSequenceNumber(put(kinesis, stream, records("a", 0, 10, 3)));
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).build())
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(first)).build().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> first.size() == 10);
            // stopped only once the checkpoint covers all ten: the restart must owe nothing to a checkpoint saved late
            await().atMost(Duration.ofSeconds(10)).until(() -> esm.status().shards().get(0).lastCheckpoint().equals(Optional.of(lastOfFirst)));
        }
        assertThat(checkpoints.loadByName(stream, first.get(0).shardId())).contains(Checkpoint.at(lastOfFirst));
        String lastOfSecond = lastSequenceNumber(put(kinesis, stream, records("b", 10, 5, 3)));
        List<Delivery> second = new CopyOnWriteArrayList<>();

        // LATEST would skip what arrived while stopped: the checkpoint wins
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).startingPosition(StartingPosition.LATEST).build())
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(second)).build().start()) {
            // once the last record is checkpointed, everything before it was delivered or skipped: nothing more can come
            await().atMost(Duration.ofSeconds(30)).until(() -> esm.status().shards().get(0).lastCheckpoint().equals(Optional.of(lastOfSecond)));
        }

        assertThat(second).extracting(Delivery::data).containsExactlyElementsOf(records("b", 10, 5, 3));
    }

    @SuppressWarnings("try") // the mapping runs while the block waits for its effects
    @Test
    void aMappingAtLatestStoppedBeforeItsFirstCheckpointResumesWhereItStartedFromDynamoDb(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        // found by a probe: with the lab's 120 s batching window, consume stopped before its first invocation, and started
        // again it took a new LATEST: the records put in between were never delivered
        String stream = newStream(kinesis, 1);
        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", clock);
        put(kinesis, stream, records("old", 0, 3, 3)); // before the mapping: LATEST leaves them out
        List<Delivery> first = new CopyOnWriteArrayList<>();
        EventSourceMappingConfig latest = config(stream).startingPosition(StartingPosition.LATEST).maximumBatchingWindowInSeconds(300).build();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(latest)
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(first)).build().start()) {
            // started: its LATEST is taken (at the start, as AWS's is at its creation), and where it started is saved
            await().atMost(Duration.ofSeconds(30)).until(() -> esm.status().shards().size() == 1
                    && esm.status().shards().get(0).phase().equals("PROCESSING"));
            assertThat(checkpoints.loadByName(stream, "shardId-000000000000")).isPresent();
            put(kinesis, stream, records("while", 0, 5, 3)); // read, held by the batching window, never invoked
            await().atMost(Duration.ofSeconds(10)).until(() -> esm.status().shards().get(0).recordsIn() == 5);
        }
        assertThat(first).isEmpty();
        assertThat(checkpoints.loadByName(stream, "shardId-000000000000")).hasValueSatisfying(c -> assertThat(c.processed()).isFalse());
        String last = lastSequenceNumber(put(kinesis, stream, records("stopped", 0, 2, 3)));
        List<Delivery> second = new CopyOnWriteArrayList<>();

        try (EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).startingPosition(StartingPosition.LATEST).build())
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(second)).build().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> esm.status().shards().get(0).lastCheckpoint().equals(Optional.of(last)));
        }

        List<String> expected = new ArrayList<>(records("while", 0, 5, 3));
        expected.addAll(records("stopped", 0, 2, 3));
        assertThat(second).extracting(Delivery::data).containsExactlyElementsOf(expected);
    }

    @SuppressWarnings("try") // the mapping runs while the block waits for its effects
    @Test
    void aMappingAtLatestThatReadNothingBeforeItStoppedResumesFromItsStartTimeEvenOnAQuietShard(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        // found by a review: kinesalite answers the saved AT_TIMESTAMP only once a record is at or after it; the reader
        // reads from TRIM_HORIZON instead when it is not answered, passing over what came before
        String stream = newStream(kinesis, 1);
        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", clock);
        EventSourceMappingConfig latest = config(stream).startingPosition(StartingPosition.LATEST).build();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(latest)
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(new ArrayList<>())).build().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> checkpoints.loadByName(stream, "shardId-000000000000").isPresent());
        }
        List<Delivery> second = new CopyOnWriteArrayList<>();

        try (EventSourceMapping esm = EventSourceMapping.builder().config(latest)
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(second)).build().start()) {
            // nothing was put: the shard is quiet while the mapping resumes, and a stop would have to wait on a hung call
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(30)).until(() -> esm.status().shards().size() == 1
                    && esm.status().shards().get(0).phase().equals("PROCESSING"));
            String last = lastSequenceNumber(put(kinesis, stream, records("later", 0, 4, 3)));
            await().atMost(Duration.ofSeconds(30)).until(() -> esm.status().shards().get(0).lastCheckpoint().equals(Optional.of(last)));
        }

        assertThat(second).extracting(Delivery::data).containsExactlyElementsOf(records("later", 0, 4, 3));
    }

    @Test
    void afterASplitAndAMergeParentsAreDrainedBeforeTheirChildrenAndEveryRecordIsDeliveredOnce(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        String stream = newStream(kinesis, 1);
        KinesisStreamSource source = new KinesisStreamSource(kinesis, stream);
        String parent = source.listShards().get(0).shardId();
        List<String> sent = new ArrayList<>(records("p", 0, 40, 8));
        put(kinesis, stream, sent);
        kinesis.splitShard(b -> b.streamName(stream).shardToSplit(parent).newStartingHashKey(BigInteger.TWO.pow(127).toString()));
        waitForActive(kinesis, stream);
        List<String> afterSplit = records("s", 40, 40, 8);
        put(kinesis, stream, afterSplit);
        sent.addAll(afterSplit);
        List<ShardInfo> children = source.listShards().stream().filter(s -> s.parentShardId().filter(parent::equals).isPresent()).toList();
        assertThat(children).hasSize(2);
        kinesis.mergeShards(b -> b.streamName(stream).shardToMerge(children.get(0).shardId()).adjacentShardToMerge(children.get(1).shardId()));
        waitForActive(kinesis, stream);
        List<String> afterMerge = records("m", 80, 40, 8);
        String lastOfMerged = lastSequenceNumber(put(kinesis, stream, afterMerge));
        sent.addAll(afterMerge);
        String merged = source.listShards().stream().filter(s -> s.adjacentParentShardId().isPresent()).findFirst().orElseThrow().shardId();

        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        List<InvocationListener.Invocation> invocations = new CopyOnWriteArrayList<>();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).build()).source(source)
                .checkpoints(new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", clock))
                .listener(invocations::add).kinesisHandler(recording(deliveries)).build().start()) {
            // the parents ended, the merged shard checkpointed at its last record: nothing more can be delivered
            await().atMost(Duration.ofSeconds(90)).until(() -> esm.status().shards().stream().anyMatch(s -> s.shardId().equals(merged)
                    && s.lastCheckpoint().equals(Optional.of(lastOfMerged))));
            assertThat(esm.status().shards()).filteredOn(s -> !s.shardId().equals(merged)).allMatch(s -> s.phase().equals("ENDED"));
        }

        assertThat(deliveries).extracting(Delivery::data).containsExactlyInAnyOrderElementsOf(sent);
        assertOrderPerKey(deliveries, sent);
        Instant parentDone = lastDelivery(deliveries, parent);
        for (ShardInfo child : children) {
            assertThat(firstDelivery(deliveries, child.shardId())).isAfterOrEqualTo(parentDone);
            assertThat(firstDelivery(deliveries, merged)).isAfterOrEqualTo(lastDelivery(deliveries, child.shardId()));
        }
    }

    @SuppressWarnings("try") // the mapping runs while the block waits for its effects
    @Test
    void tumblingWindowsOnTheEmulatorGetEachRecordOnceAndOneFinalInvokeWithTheWholeWindow(KinesisClient kinesis, DynamoDbClient dynamoDb) throws Exception {
        String stream = newStream(kinesis, 2);
        List<InvocationListener.Invocation> invocations = new CopyOnWriteArrayList<>();
        EventSourceMappingConfig config = config(stream).tumblingWindowInSeconds(2).windowIdleGrace(Duration.ofSeconds(1)).build();
        List<String> sent = new ArrayList<>();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(new KinesisStreamSource(kinesis, stream))
                .checkpoints(new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", clock)).listener(invocations::add)
                .timeWindowHandler(TestHandlers.windowConcatenator()).build().start()) {
            for (int burst = 0; burst < 3; burst++) {
                List<String> records = records("w" + burst + "-", burst * 20, 20, 5);
                put(kinesis, stream, records);
                sent.addAll(records);
                Thread.sleep(1500);
            }
            // every record is in the state of exactly one successful final invoke
            await().atMost(Duration.ofSeconds(30)).until(() -> finalStates(invocations).size() == sent.size());
        }

        assertThat(finalStates(invocations)).containsExactlyInAnyOrderElementsOf(sent);
        for (InvocationListener.Invocation i : invocations) {
            var event = EventJson.mapper().readTree(i.eventJson());
            Instant start = Instant.parse(event.path("window").path("start").asText());
            Instant end = Instant.parse(event.path("window").path("end").asText());
            for (var r : event.path("Records")) {
                Instant arrival = Instant.ofEpochMilli(r.path("kinesis").path("approximateArrivalTimestamp").decimalValue().movePointRight(3).longValue());
                assertThat(arrival).isBetween(start, end.minusMillis(1));
            }
        }
        // the data invocations delivered each record exactly once
        List<String> delivered = new ArrayList<>();
        for (InvocationListener.Invocation i : invocations) {
            EventJson.mapper().readTree(i.eventJson()).path("Records").forEach(r -> delivered.add(
                    new String(java.util.Base64.getDecoder().decode(r.path("kinesis").path("data").asText()), StandardCharsets.UTF_8)));
        }
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(sent);
    }

    private static List<String> finalStates(List<InvocationListener.Invocation> invocations) {
        List<String> out = new ArrayList<>();
        for (InvocationListener.Invocation i : invocations) {
            if (i.eventJson().contains("\"isFinalInvokeForWindow\":true") && i.outcome() instanceof dev.kinesisaggs.esm.invocation.Outcome.Succeeded) {
                try {
                    String seen = EventJson.mapper().readTree(i.eventJson()).path("state").path("seen").asText();
                    out.addAll(List.of(seen.split(",")));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    @Test
    void startingOnAStreamThatDoesNotExistFailsWithOneSentenceSayingWhatToDo(KinesisClient kinesis) {
        EventSourceMapping esm = EventSourceMapping.builder().config(config("missing").build())
                .source(new KinesisStreamSource(kinesis, "no-such-stream")).kinesisHandler(TestHandlers.accepting()).build();

        assertThatThrownBy(esm::start).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The stream no-such-stream does not exist at http://")
                .hasMessageEndingWith(": create it, or check the stream name and the Kinesis endpoint.");
        esm.close();
    }

    /** Found by probing: a stream deleted under a running mapping made its shards retry, two warnings a second, for ever. */
    @Test
    void aStreamDeletedUnderTheMappingStopsItWithOneSentence(KinesisClient kinesis) {
        String stream = newStream(kinesis, 1);
        List<Delivery> delivered = new CopyOnWriteArrayList<>();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).build())
                .source(new KinesisStreamSource(kinesis, stream)).kinesisHandler(recording(delivered)).build().start()) {
            put(kinesis, stream, records("d", 0, 3, 1));
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= 3);

            kinesis.deleteStream(b -> b.streamName(stream));

            await().atMost(Duration.ofSeconds(40)).until(() -> esm.stoppedBecause().isPresent());
            assertThat(esm.stoppedBecause().get()).startsWith("The stream " + stream + " no longer exists at http://")
                    .endsWith("nothing is left to read, so the mapping stopped; the checkpoints saved stay");
            assertThat(esm.status().running()).isFalse();
        }
    }

    /** Found by probing: with its checkpoint table deleted, consume still said "the checkpoints are saved". */
    @Test
    void checkpointsTheStoreRefusedAreSaidAfterTheMappingStopped(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        String stream = newStream(kinesis, 1);
        String table = "esmCheckpointsGone" + System.nanoTime();
        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamoDb, table, clock);
        List<Delivery> delivered = new CopyOnWriteArrayList<>();
        EventSourceMapping esm = EventSourceMapping.builder().config(config(stream).build())
                .source(new KinesisStreamSource(kinesis, stream)).checkpoints(checkpoints).kinesisHandler(recording(delivered))
                .build().start();
        try {
            put(kinesis, stream, records("c", 0, 3, 1));
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= 3);
            assertThat(esm.shardsWithUnsavedCheckpoints()).isEmpty();

            dynamoDb.deleteTable(b -> b.tableName(table));
            put(kinesis, stream, records("c", 3, 6, 1));
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= 6);
        } finally {
            esm.close();
        }

        assertThat(esm.shardsWithUnsavedCheckpoints()).containsExactly("shardId-000000000000");
    }

    private static Instant firstDelivery(List<Delivery> deliveries, String shard) {
        return deliveries.stream().filter(d -> d.shardId().equals(shard)).map(Delivery::at).min(Instant::compareTo).orElseThrow();
    }

    private static Instant lastDelivery(List<Delivery> deliveries, String shard) {
        return deliveries.stream().filter(d -> d.shardId().equals(shard)).map(Delivery::at).max(Instant::compareTo).orElseThrow();
    }

    /** Per partition key, records are delivered in the order they were put. */
    private static void assertOrderPerKey(List<Delivery> deliveries, List<String> sent) {
        Map<String, List<String>> sentByKey = new HashMap<>();
        sent.forEach(s -> sentByKey.computeIfAbsent(s.substring(0, s.indexOf(':')), k -> new ArrayList<>()).add(s));
        Map<String, List<String>> deliveredByKey = new HashMap<>();
        deliveries.forEach(d -> deliveredByKey.computeIfAbsent(d.data().substring(0, d.data().indexOf(':')), k -> new ArrayList<>()).add(d.data()));
        assertThat(deliveredByKey).isEqualTo(sentByKey);
    }
}
