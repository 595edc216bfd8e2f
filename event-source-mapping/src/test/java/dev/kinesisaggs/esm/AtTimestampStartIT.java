package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import dev.kinesisaggs.localaws.KinesisEmulator;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import dev.kinesisaggs.localaws.junit.UseKinesisEmulator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * StartingPosition AT_TIMESTAMP against a real Kinesis emulator: the mapping delivers the records that arrived at or
 * after the timestamp, and none before. On kinesis-local, because kinesalite does not answer an AT_TIMESTAMP
 * iterator request until a record at or after the timestamp exists. The two tests run side by side, each on a stream
 * of its own.
 */
@ExtendWith(LocalAwsExtension.class)
@Execution(ExecutionMode.CONCURRENT)
@UseKinesisEmulator(KinesisEmulator.KINESIS_LOCAL)
class AtTimestampStartIT {

    @Test
    void atTimestampStartsWithTheFirstRecordThatArrivedAtOrAfterTheTimestamp(KinesisClient kinesis) throws Exception {
        String stream = "at-ts-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
        put(kinesis, stream, "before", 5);
        // the emulator runs on this machine's clock; a second on each side keeps the timestamp clear of both puts
        Thread.sleep(1_000);
        Instant timestamp = Instant.now();
        Thread.sleep(1_000);
        String lastAfter = put(kinesis, stream, "after", 5);
        assertFixture(kinesis, stream, timestamp);

        List<String> delivered = new CopyOnWriteArrayList<>();
        RequestHandler<KinesisEvent, Void> recording = (event, context) -> {
            event.getRecords().forEach(r -> delivered.add(TestHandlers.text(r)));
            return null;
        };
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().mappingId(stream)
                .startingPosition(StartingPosition.AT_TIMESTAMP).startingPositionTimestamp(timestamp)
                .pollInterval(Duration.ofMillis(200)).batchSize(50).build();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(new KinesisStreamSource(kinesis, stream))
                .checkpoints(new InMemoryCheckpointStore()).kinesisHandler(recording).build().start()) {
            // the shard read in order up to its last record: whatever of it would be delivered has been
            awaitCheckpointAt(esm, lastAfter);
        }

        assertThat(delivered).containsExactly("after-0", "after-1", "after-2", "after-3", "after-4");
    }

    @Test
    void afterASplitTheChildShardsSkipTheirRecordsOlderThanTheTimestampToo(KinesisClient kinesis) throws Exception {
        String stream = "at-ts-split-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
        put(kinesis, stream, "parent", 3);
        String parent = kinesis.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        kinesis.splitShard(b -> b.streamName(stream).shardToSplit(parent).newStartingHashKey(BigInteger.TWO.pow(127).toString()));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
        put(kinesis, stream, "before", 5);
        Thread.sleep(1_000);
        Instant timestamp = Instant.now();
        Thread.sleep(1_000);
        String lastAfter = put(kinesis, stream, "after", 5);

        List<String> delivered = new CopyOnWriteArrayList<>();
        RequestHandler<KinesisEvent, Void> recording = (event, context) -> {
            event.getRecords().forEach(r -> delivered.add(TestHandlers.text(r)));
            return null;
        };
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().mappingId(stream)
                .startingPosition(StartingPosition.AT_TIMESTAMP).startingPositionTimestamp(timestamp)
                .pollInterval(Duration.ofMillis(200)).batchSize(50).build();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(new KinesisStreamSource(kinesis, stream))
                .checkpoints(new InMemoryCheckpointStore()).kinesisHandler(recording).build().start()) {
            // the child holding the records (one partition key) read in order up to its last: the older ones, had
            // they been read, would have been delivered before it
            awaitCheckpointAt(esm, lastAfter);
        }

        // the parent's records and the child's from before the timestamp are older than it: none is delivered
        assertThat(delivered).containsExactly("after-0", "after-1", "after-2", "after-3", "after-4");
    }

    /** Puts the records under one partition key, so on one shard; returns the last one's sequence number. */
    private static String put(KinesisClient kinesis, String stream, String prefix, int count) {
        List<PutRecordsRequestEntry> entries = IntStream.range(0, count).mapToObj(i -> PutRecordsRequestEntry.builder()
                .partitionKey("k").data(SdkBytes.fromString(prefix + "-" + i, StandardCharsets.UTF_8)).build()).toList();
        PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        return response.records().get(count - 1).sequenceNumber();
    }

    private static void awaitCheckpointAt(EventSourceMapping esm, String sequenceNumber) {
        await().atMost(Duration.ofSeconds(60)).until(() -> esm.status().shards().stream()
                .anyMatch(s -> s.lastCheckpoint().equals(Optional.of(sequenceNumber))));
    }

    /** The emulator's own arrival times put the timestamp between the two puts, so the expectation is the stream's. */
    private static void assertFixture(KinesisClient kinesis, String stream, Instant timestamp) {
        String shardId = kinesis.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> all = kinesis.getRecords(b -> b.shardIterator(iterator)).records();
        assertThat(all).hasSize(10);
        assertThat(all.subList(0, 5)).allSatisfy(r -> assertThat(r.approximateArrivalTimestamp()).isBefore(timestamp));
        assertThat(all.subList(5, 10)).allSatisfy(r -> assertThat(r.approximateArrivalTimestamp()).isAfterOrEqualTo(timestamp));
    }
}
