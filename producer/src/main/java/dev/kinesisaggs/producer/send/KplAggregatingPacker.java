package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.AddResult;
import dev.kinesisaggs.core.kpl.Aggregator;
import dev.kinesisaggs.core.kpl.KplFormat;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KPL aggregation with core's {@link Aggregator} (aggregates up to 51,200 bytes, the workshop producer's setting).
 *
 * <p>With a {@link ShardMap}, one aggregate is filled per shard and a user record joins the aggregate of its own
 * partition key's shard, as the KPL does: every trip lands on the shard its key hashes to. Without one, all trips
 * share one aggregate, which lands on the shard of its first trip.
 */
public final class KplAggregatingPacker implements RecordPacker {

    private static final String SINGLE = "";

    private final ShardMap shardMap;
    private final Map<String, Aggregator> aggregators = new LinkedHashMap<>();
    private int buffered;

    /** @param shardMap the stream's shards, or {@code null} for one aggregate for all shards */
    public KplAggregatingPacker(ShardMap shardMap) {
        this.shardMap = shardMap;
    }

    @Override
    public List<PutRecordEntry> add(RecordToSend record) {
        String shard = shardMap == null ? SINGLE : shardMap.shardFor(KplFormat.hashKeyOf(record.partitionKey()));
        Aggregator aggregator = aggregators.computeIfAbsent(shard, s -> new Aggregator());
        AddResult result = aggregator.add(record.partitionKey(), null, record.data());
        if (result instanceof AddResult.Rejected rejected) {
            throw new IllegalArgumentException("Cannot send the record of key " + record.partitionKey() + ": " + rejected.detail());
        }
        buffered++;
        return completed(((AddResult.Accepted) result).completed());
    }

    @Override
    public List<PutRecordEntry> flush() {
        List<PutRecordEntry> entries = new ArrayList<>();
        for (Aggregator aggregator : aggregators.values()) {
            aggregator.flush().ifPresent(entries::add);
        }
        return completed(entries);
    }

    @Override
    public int buffered() {
        return buffered;
    }

    private List<PutRecordEntry> completed(List<PutRecordEntry> entries) {
        for (PutRecordEntry entry : entries) {
            buffered -= entry.userRecordCount();
        }
        return entries;
    }

}
