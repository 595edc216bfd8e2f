package dev.kinesisaggs.esm.retrieval;

import java.time.Duration;
import java.util.Optional;

import java.util.List;

/** The port through which the mapping reads a stream: list its shards, and open a reader on one. */
public interface StreamSource {

    /** The stream's ARN, as the events and destination records name it. */
    String streamArn();

    /** All shards the stream still holds, open and closed, with their lineage. */
    List<ShardInfo> listShards();

    /** A reader positioned at {@code position}; each {@link ShardReader#read} continues where the last one stopped. */
    ShardReader openReader(String shardId, ShardPosition position);

    /**
     * How long the stream keeps a record (its retention period), when known. Past it a record can no longer be read
     * again, so a batch still being retried then loses it, as on AWS, where a retry reads its records from the stream
     * again (spec §5.3: failed records are retried "until the records expire").
     */
    default Optional<Duration> retention() {
        return Optional.empty();
    }
}
