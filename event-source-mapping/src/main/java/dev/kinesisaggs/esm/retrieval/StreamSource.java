package dev.kinesisaggs.esm.retrieval;

import java.util.List;

/** The port through which the mapping reads a stream: list its shards, and open a reader on one. */
public interface StreamSource {

    /** The stream's ARN, as the events and destination records name it. */
    String streamArn();

    /** All shards the stream still holds, open and closed, with their lineage. */
    List<ShardInfo> listShards();

    /** A reader positioned at {@code position}; each {@link ShardReader#read} continues where the last one stopped. */
    ShardReader openReader(String shardId, ShardPosition position);
}
