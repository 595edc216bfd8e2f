package dev.kinesisaggs.esm.checkpoint;

import java.util.Optional;

/** The port where a mapping keeps, per shard, how far it has processed. Keyed by mapping id and shard id. */
public interface CheckpointStore {

    Optional<Checkpoint> load(String mappingId, String shardId);

    void save(String mappingId, String shardId, Checkpoint checkpoint);
}
