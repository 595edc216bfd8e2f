package dev.kinesisaggs.esm.retrieval;

import java.util.Optional;

/** A shard and its lineage, as {@code ListShards} reports it. A closed shard has an ending sequence number. */
public record ShardInfo(String shardId, Optional<String> parentShardId, Optional<String> adjacentParentShardId, boolean closed) {

    public static ShardInfo open(String shardId) {
        return new ShardInfo(shardId, Optional.empty(), Optional.empty(), false);
    }
}
