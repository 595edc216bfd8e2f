package dev.kinesisaggs.esm.metrics;

import java.time.Instant;
import java.util.List;

/** A snapshot of a whole mapping: one {@link ShardStatus} per shard the mapping has started. */
public record MappingStatus(String mappingId, String streamArn, Instant takenAt, boolean running, List<ShardStatus> shards) {

    public MappingStatus {
        shards = List.copyOf(shards);
    }

    public long totalRecordsIn() {
        return shards.stream().mapToLong(ShardStatus::recordsIn).sum();
    }

    public long totalInvocations() {
        return shards.stream().mapToLong(ShardStatus::invocations).sum();
    }
}
