package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §1.3: ParallelizationFactor lanes by partition key (one invocation at a time here; see README). */
class ParallelizationFactorTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void aFailingPartitionKeyBlocksOnlyItsLaneAndTheCheckpointWaitsForTheLongestHandledRun() {
        AtomicInteger failures = new AtomicInteger();
        RequestHandler<KinesisEvent, Void> failsOnATwice = (event, context) -> {
            if (event.getRecords().stream().anyMatch(r -> TestHandlers.text(r).equals("a")) && failures.incrementAndGet() <= 2) {
                throw new IllegalStateException("a is not ready");
            }
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).parallelizationFactor(2).build())
                .kinesisHandler(failsOnATwice).build();
        // keys "0" and "1" hash to different lanes of two
        StreamRecord a = append(driver, "0", "a", 0.5);
        StreamRecord b = append(driver, "1", "b", 0.5);
        StreamRecord c = append(driver, "0", "c", 0.5);

        driver.advance(Duration.ofSeconds(1));
        // b's lane goes on while a's lane waits to retry; nothing is checkpointed past a
        assertThat(describe(driver.invocations())).containsExactly("[a,c]", "[b]");
        assertThat(driver.invocations()).extracting(DeliveredInvocation::succeeded).containsExactly(false, true);
        assertThat(driver.checkpoint(driver.shard(0))).isEmpty();

        driver.advance(Duration.ofSeconds(5));
        assertThat(describe(driver.invocations())).containsExactly("[a,c]", "[b]", "[a,c]", "[a,c]");
        assertThat(driver.invocations().get(3).at()).isEqualTo(T0.plusSeconds(4));
        assertThat(driver.checkpointHistory()).extracting(s -> s.checkpoint()).containsExactly(Checkpoint.at(c.sequenceNumber()));
        assertThat(a.sequence()).isLessThan(b.sequence());
    }

    @Test
    void recordsOfOneKeyStayInOrderInTheirLane() {
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).parallelizationFactor(3).batchSize(2).build())
                .start(T0.plusSeconds(10)).kinesisHandler(TestHandlers.accepting()).build();
        for (int i = 0; i < 6; i++) {
            append(driver, "k", "r" + i, 0);
        }

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly("[r0,r1]", "[r2,r3]", "[r4,r5]");
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(driver.stream().records(driver.shard(0)).get(5).sequenceNumber()));
    }

    @Test
    void withSeveralKeysEachKeyStaysInOrderAndTheKeysAreSpreadOverTheLanes() {
        // "3:0", the first record of key 3, fails twice: its lane waits for the retries while the others go on
        AtomicInteger failures = new AtomicInteger();
        RequestHandler<KinesisEvent, Void> failsOnKey3Twice = (event, context) -> {
            if (event.getRecords().stream().anyMatch(r -> TestHandlers.text(r).equals("3:0")) && failures.incrementAndGet() <= 2) {
                throw new IllegalStateException("3:0 is not ready");
            }
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).parallelizationFactor(4).batchSize(3).build())
                .kinesisHandler(failsOnKey3Twice).build();
        List<String> sent = new ArrayList<>();
        StreamRecord last = null;
        for (int i = 0; i < 5; i++) {
            for (int key = 0; key < 8; key++) { // interleaved: 0:0, 1:0, ..., 7:0, 0:1, ...
                sent.add(key + ":" + i);
                last = append(driver, String.valueOf(key), key + ":" + i, 0.5);
            }
        }

        driver.advance(Duration.ofSeconds(30));

        List<DeliveredInvocation> succeeded = driver.invocations().stream().filter(DeliveredInvocation::succeeded).toList();
        List<String> delivered = succeeded.stream().flatMap(i -> i.data().stream()).toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(sent);
        for (int key = 0; key < 8; key++) {
            String prefix = key + ":";
            assertThat(delivered.stream().filter(d -> d.startsWith(prefix)).toList()).as("key %d in order", key)
                    .containsExactlyElementsOf(sent.stream().filter(d -> d.startsWith(prefix)).toList());
        }
        // a batch holds the keys of one lane only (a stable hash of the key, see the README), and every lane had batches
        Set<Integer> lanes = new HashSet<>();
        for (DeliveredInvocation i : driver.invocations()) {
            Set<Integer> lanesOfBatch = i.data().stream().map(d -> Math.floorMod(d.substring(0, d.indexOf(':')).hashCode(), 4))
                    .collect(Collectors.toSet());
            assertThat(lanesOfBatch).as("lanes of %s", i.data()).hasSize(1);
            lanes.addAll(lanesOfBatch);
        }
        assertThat(lanes).containsExactlyInAnyOrder(0, 1, 2, 3);
        // while key 3's lane waited for its retries, the other lanes delivered
        List<Integer> withKey3First = new ArrayList<>();
        for (int i = 0; i < driver.invocations().size(); i++) {
            if (driver.invocations().get(i).data().contains("3:0")) {
                withKey3First.add(i);
            }
        }
        assertThat(withKey3First).hasSize(3);
        assertThat(driver.invocations().subList(withKey3First.get(0) + 1, withKey3First.get(1)))
                .hasSizeGreaterThanOrEqualTo(3).allMatch(DeliveredInvocation::succeeded);
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(last.sequenceNumber()));
    }

    private static StreamRecord append(EsmTestDriver driver, String key, String data, double seconds) {
        return driver.stream().append(driver.shard(0), key, data.getBytes(StandardCharsets.UTF_8),
                T0.plusMillis(Math.round(seconds * 1000)));
    }
}
