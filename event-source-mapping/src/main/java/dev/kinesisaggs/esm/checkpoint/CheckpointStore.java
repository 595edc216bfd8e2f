package dev.kinesisaggs.esm.checkpoint;

import java.util.Optional;

/**
 * The port where a mapping keeps, per shard, how far it has processed. Keyed by the mapping's identity (its UUID) and
 * the shard id, so that mappings never share checkpoints; a store refuses an entry written for another stream
 * ({@link ForeignCheckpointException}).
 */
public interface CheckpointStore {

    Optional<Checkpoint> load(MappingIdentity mapping, String shardId);

    void save(MappingIdentity mapping, String shardId, Checkpoint checkpoint);
}
