package dev.kinesisaggs.esm.retrieval;

import java.util.List;

/**
 * What one {@code GetRecords} call returned: the records, how far the reader is behind the tip
 * of the shard, and whether the shard is closed and fully read (a null next iterator).
 * A throttled read returned nothing and says nothing about where the tip is: it must not count
 * as having reached it (a window would be taken for idle while its records are still unread).
 */
public record ReadResult(List<StreamRecord> records, long millisBehindLatest, boolean shardEnded, boolean throttled) {
    public ReadResult {
        records = List.copyOf(records);
    }

    public ReadResult(List<StreamRecord> records, long millisBehindLatest, boolean shardEnded) {
        this(records, millisBehindLatest, shardEnded, false);
    }

    /** A read refused for throughput (ProvisionedThroughputExceededException): no records, position unknown. */
    public static ReadResult throttledRead() {
        return new ReadResult(List.of(), 0, false, true);
    }
}
