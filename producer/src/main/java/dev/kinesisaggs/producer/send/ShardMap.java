package dev.kinesisaggs.producer.send;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilter;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;

/**
 * Which open shard receives a hash key: the hash key ranges of a stream's open shards, read once with ListShards.
 * The producer keeps one aggregate per shard with it, as the KPL does, so that every user record travels in an
 * aggregate routed to its own key's shard (a KCL consumer drops user records outside its shard's range).
 * A map read before a reshard sends some user records to a sibling shard until the producer is restarted.
 */
public final class ShardMap {

    private final TreeMap<BigInteger, String> shardByStartingHashKey;

    /** @param startingHashKeys the open shards' ids by starting hash key; the ranges must cover 0..2^128-1 */
    public ShardMap(Map<BigInteger, String> startingHashKeys) {
        this.shardByStartingHashKey = new TreeMap<>(startingHashKeys);
        if (shardByStartingHashKey.isEmpty() || shardByStartingHashKey.firstKey().signum() != 0) {
            throw new IllegalArgumentException("the open shards' hash key ranges must start at 0");
        }
    }

    /** Reads the open shards of a stream. */
    public static ShardMap of(KinesisClient kinesis, String streamName) {
        Map<BigInteger, String> open = new TreeMap<>();
        ListShardsRequest request = ListShardsRequest.builder()
                .streamName(streamName)
                .shardFilter(ShardFilter.builder().type(ShardFilterType.AT_LATEST).build())
                .build();
        for (;;) {
            ListShardsResponse page = kinesis.listShards(request);
            for (Shard shard : page.shards()) {
                if (shard.sequenceNumberRange().endingSequenceNumber() == null) {
                    open.put(new BigInteger(shard.hashKeyRange().startingHashKey()), shard.shardId());
                }
            }
            if (page.nextToken() == null) {
                break;
            }
            // with a next token, ListShards takes neither the stream name nor the filter
            request = ListShardsRequest.builder().nextToken(page.nextToken()).build();
        }
        return new ShardMap(open);
    }

    /** The id of the open shard whose range holds the hash key. */
    public String shardFor(BigInteger hashKey) {
        Objects.requireNonNull(hashKey, "hashKey");
        Map.Entry<BigInteger, String> entry = shardByStartingHashKey.floorEntry(hashKey);
        if (entry == null) {
            throw new IllegalArgumentException("a hash key is not negative: " + hashKey);
        }
        return entry.getValue();
    }

    public int size() {
        return shardByStartingHashKey.size();
    }
}
