package dev.kinesisaggs.esm.retrieval;

/** Reads one shard in order. Not thread-safe: one processor owns it. */
public interface ShardReader extends AutoCloseable {

    /** At most {@code limit} records after the last ones returned; an empty list when there is nothing new. */
    ReadResult read(int limit);

    @Override
    default void close() {
    }
}
