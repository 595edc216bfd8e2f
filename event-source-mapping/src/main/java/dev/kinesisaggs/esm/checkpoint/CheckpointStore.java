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

    /**
     * Holds the mapping for this running instance until the lease is closed, so that it runs once however many processes
     * start it; {@code lost} is told, in one sentence, if another instance takes the lease over meanwhile (this one then
     * stops). The default holds nothing: a store that lives in one process has no other instance to keep out.
     *
     * @throws MappingInUseException while another running instance holds the mapping
     */
    default MappingLease lease(MappingIdentity mapping, java.util.function.Consumer<String> lost) {
        return MappingLease.NONE;
    }
}
