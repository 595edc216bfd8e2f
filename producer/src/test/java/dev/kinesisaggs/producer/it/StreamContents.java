package dev.kinesisaggs.producer.it;

import dev.kinesisaggs.core.kpl.DeaggregationResult;
import dev.kinesisaggs.core.kpl.Deaggregator;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Everything on a stream, read from TRIM_HORIZON on every shard and deaggregated: what a consumer would see. */
final class StreamContents {

    /** One user record as read back. */
    record ReadTrip(String shardId, BigInteger hashKeyStart, BigInteger hashKeyEnd, BigInteger sequenceNumber,
                    int subSequenceNumber, boolean aggregated, String outerPartitionKey, String partitionKey, byte[] data) {
    }

    private StreamContents() {
    }

    /** Reads every shard until it answers empty and caught up. */
    static List<ReadTrip> read(KinesisClient kinesis, String stream) {
        List<ReadTrip> all = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
            while (iterator != null) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new AssertionError("shard " + shard.shardId() + " was not read to its end within 2 minutes");
                }
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (var record : page.records()) {
                    BigInteger seq = new BigInteger(record.sequenceNumber());
                    List<ReadTrip> users = new ArrayList<>();
                    DeaggregationResult outcome = Deaggregator.forCurrentThread().deaggregate(
                            record.data().asByteArray(), record.partitionKey(), null,
                            (sub, keys, bytes, off, len) -> users.add(new ReadTrip(shard.shardId(), start, end, seq, sub,
                                    false, record.partitionKey(), keys.partitionKey(), Arrays.copyOfRange(bytes, off, off + len))));
                    if (outcome instanceof DeaggregationResult.Broken broken) {
                        throw new AssertionError("a broken aggregate on the stream: " + broken.rejection().detail());
                    }
                    boolean aggregated = outcome instanceof DeaggregationResult.Aggregated;
                    for (ReadTrip t : users) {
                        all.add(new ReadTrip(t.shardId(), start, end, seq, t.subSequenceNumber(), aggregated,
                                t.outerPartitionKey(), t.partitionKey(), t.data()));
                    }
                }
                iterator = page.nextShardIterator();
                if (page.records().isEmpty() && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0)) {
                    break;
                }
            }
        }
        return all;
    }
}
