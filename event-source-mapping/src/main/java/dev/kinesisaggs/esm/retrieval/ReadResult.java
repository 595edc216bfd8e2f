package dev.kinesisaggs.esm.retrieval;

import java.util.List;

/**
 * What one {@code GetRecords} call returned: the records, how far the reader is behind the tip
 * of the shard, and whether the shard is closed and fully read (a null next iterator).
 */
public record ReadResult(List<StreamRecord> records, long millisBehindLatest, boolean shardEnded) {
    public ReadResult {
        records = List.copyOf(records);
    }
}
