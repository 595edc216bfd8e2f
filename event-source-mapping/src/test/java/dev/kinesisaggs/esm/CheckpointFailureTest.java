package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.MappingIdentity;
import dev.kinesisaggs.esm.checkpoint.CheckpointStore;
import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** A checkpoint store that fails (network, throttling) must not make the mapping invoke anything twice. */
class CheckpointFailureTest {

    /** Refuses its first {@code failures} saves. */
    private static final class FlakyStore implements CheckpointStore {
        final InMemoryCheckpointStore delegate = new InMemoryCheckpointStore();
        final AtomicInteger failuresLeft;

        FlakyStore(int failures) {
            failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public Optional<Checkpoint> load(MappingIdentity mapping, String shardId) {
            return delegate.load(mapping, shardId);
        }

        @Override
        public void save(MappingIdentity mapping, String shardId, Checkpoint checkpoint) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("ProvisionedThroughputExceededException");
            }
            delegate.save(mapping, shardId, checkpoint);
        }
    }

    @Test
    void aCheckpointTheStoreRefusedIsSavedAgainAndNothingIsInvokedTwice() {
        FlakyStore store = new FlakyStore(2);
        EsmTestDriver driver = EsmTestDriver.builder().checkpoints(store)
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).tumblingWindowInSeconds(30).build())
                .timeWindowHandler(TestHandlers.windowConcatenator()).build();
        StreamRecord a = driver.append("a", 1);
        driver.append("b", 31);

        driver.advance(Duration.ofSeconds(40));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}", "00:00:00 [] {\"seen\":\"a\"} FINAL", "00:00:30 [b] {}");
        assertThat(store.failuresLeft.get()).isNegative();
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(a.sequenceNumber()));
    }
}
