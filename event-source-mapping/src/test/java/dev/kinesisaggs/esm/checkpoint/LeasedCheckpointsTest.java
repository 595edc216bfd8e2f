package dev.kinesisaggs.esm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Checkpoints are saved only while the lease is held; one not saved is said in one sentence of its own type. */
class LeasedCheckpointsTest {

    private static final MappingIdentity MAPPING =
            new MappingIdentity("m", "arn:aws:kinesis:us-east-1:000000000000:stream/s", "arn:aws:lambda:us-east-1:000000000000:function:f");

    @Test
    void aCheckpointIsSavedWhileTheLeaseIsHeldAndRefusedOnceItIsNot() {
        InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        AtomicBoolean held = new AtomicBoolean(true);
        LeasedCheckpoints checkpoints = new LeasedCheckpoints(new CheckpointStore() {
            @Override
            public java.util.Optional<Checkpoint> load(MappingIdentity mapping, String shardId) {
                return store.load(mapping, shardId);
            }

            @Override
            public void save(MappingIdentity mapping, String shardId, Checkpoint checkpoint) {
                store.save(mapping, shardId, checkpoint);
            }

            @Override
            public MappingLease lease(MappingIdentity mapping, java.util.function.Consumer<String> lost) {
                return new MappingLease() {
                    @Override
                    public boolean held() {
                        return held.get();
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        });
        checkpoints.lease(MAPPING, why -> { });

        checkpoints.save(MAPPING, "shardId-0", Checkpoint.at("1"));
        held.set(false);

        // its own type: the mapping logs it as one line, not as a stack trace a user would take for a bug (found by probing)
        assertThatThrownBy(() -> checkpoints.save(MAPPING, "shardId-0", Checkpoint.at("2")))
                .isInstanceOf(LeaseNotHeldException.class)
                .hasMessageStartingWith("The checkpoint of shardId-0 is not saved: this instance of the event source mapping");
        assertThat(checkpoints.load(MAPPING, "shardId-0")).contains(Checkpoint.at("1"));
    }
}
