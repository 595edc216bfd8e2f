package dev.kinesisaggs.esm.checkpoint;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * One mapping instance's view of its checkpoint store: it saves only while the instance holds the mapping's lease, so
 * that an instance that lost it (or cannot be sure it still holds it) never moves a checkpoint that another instance
 * now keeps.
 */
public final class LeasedCheckpoints implements CheckpointStore {

    private final CheckpointStore store;
    private volatile MappingLease lease = MappingLease.NONE;

    public LeasedCheckpoints(CheckpointStore store) {
        this.store = store;
    }

    @Override
    public Optional<Checkpoint> load(MappingIdentity mapping, String shardId) {
        return store.load(mapping, shardId);
    }

    @Override
    public void save(MappingIdentity mapping, String shardId, Checkpoint checkpoint) {
        if (!lease.held()) {
            throw new LeaseNotHeldException("The checkpoint of " + shardId + " is not saved: this instance of the event source"
                    + " mapping " + mapping + " does not hold its lease now (another instance took it, or its renewal could not"
                    + " be written for a while, as when DynamoDB does not answer: then it is held again once a renewal goes through)");
        }
        store.save(mapping, shardId, checkpoint);
    }

    @Override
    public MappingLease lease(MappingIdentity mapping, Consumer<String> lost) {
        lease = store.lease(mapping, lost);
        return lease;
    }
}
