package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §1.4: resharding. */
class ReshardingTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EventSourceMappingConfig trimHorizon() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).build();
    }

    @Test
    void parentShardIsDrainedBeforeItsChildrenStart() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon()).start(T0.plusSeconds(10))
                .kinesisHandler(TestHandlers.accepting()).build();
        String parent = driver.shard(0);
        driver.append(parent, "p1", T0);
        driver.append(parent, "p2", T0.plusSeconds(1));
        List<String> children = driver.stream().split(parent);
        driver.append(children.get(0), "c1", T0.plusSeconds(2));
        driver.append(children.get(1), "c2", T0.plusSeconds(3));
        // children listed before their parent: a mapping that took shards in the order listed would start them first
        driver.stream().listNewestFirst();

        driver.runUntilIdle();

        assertThat(driver.invocations()).extracting(DeliveredInvocation::shardId).first().isEqualTo(parent);
        assertThat(describe(driver.invocations())).first().isEqualTo("[p1,p2]");
        assertThat(describe(driver.invocations())).containsExactlyInAnyOrder("[p1,p2]", "[c1]", "[c2]");
        // the parent's SHARD_END is saved before either child saves anything
        assertThat(driver.checkpointHistory()).first().satisfies(s -> assertThat(s.shardId()).isEqualTo(parent));
        assertThat(driver.checkpointHistory()).extracting(s -> s.shardId() + " " + s.checkpoint())
                .containsSubsequence(parent + " SHARD_END", children.get(1) + " " + driver.stream().records(children.get(1)).get(0).sequenceNumber())
                .containsSubsequence(parent + " SHARD_END", children.get(0) + " " + driver.stream().records(children.get(0)).get(0).sequenceNumber());
    }

    @Test
    void childrenWaitWhileTheirParentIsStillRetrying() {
        AtomicInteger calls = new AtomicInteger();
        RequestHandler<KinesisEvent, Void> failsTwice = (event, context) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("not yet");
            }
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon()).start(T0.plusSeconds(10)).kinesisHandler(failsTwice).build();
        String parent = driver.shard(0);
        driver.append(parent, "p", T0);
        List<String> children = driver.stream().split(parent);
        driver.append(children.get(0), "c", T0.plusSeconds(1));

        driver.advance(Duration.ofSeconds(10));

        assertThat(describe(driver.invocations())).containsExactly("[p]", "[p]", "[p]", "[c]");
        assertThat(driver.invocations().get(3).at()).isEqualTo(T0.plusSeconds(13));
    }

    @Test
    void aMergedShardWaitsForBothParents() {
        AtomicInteger calls = new AtomicInteger();
        RequestHandler<KinesisEvent, Void> slowOnB = (event, context) -> {
            if (TestHandlers.text(event.getRecords().get(0)).equals("b") && calls.incrementAndGet() <= 3) {
                throw new IllegalStateException("b is not ready");
            }
            return null;
        };
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon()).shards(2).start(T0.plusSeconds(10))
                .kinesisHandler(slowOnB).build();
        driver.append(driver.shard(0), "a", T0);
        driver.append(driver.shard(1), "b", T0);
        String child = driver.stream().merge(driver.shard(0), driver.shard(1));
        driver.append(child, "m", T0.plusSeconds(1));

        driver.advance(Duration.ofSeconds(30));

        List<DeliveredInvocation> all = driver.invocations();
        assertThat(describe(driver.invocations(child))).containsExactly("[m]");
        DeliveredInvocation lastOfB = driver.invocations(driver.shard(1)).get(3);
        assertThat(lastOfB.succeeded()).isTrue();
        // b retried at +1, +2, +4 s: its last attempt, at 17 s, precedes the child's first invocation
        assertThat(lastOfB.at()).isEqualTo(T0.plusSeconds(17));
        assertThat(all.indexOf(driver.invocations(child).get(0))).isGreaterThan(all.indexOf(lastOfB));
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.shardEnd());
        assertThat(driver.checkpoint(driver.shard(1))).contains(Checkpoint.shardEnd());
    }

    @Test
    void withLatestShardsAlreadyClosedAreSkippedAndTheirOpenChildrenStartAtLatest() {
        EsmTestDriver driver = EsmTestDriver.builder().config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.LATEST).build())
                .start(T0.plusSeconds(10)).kinesisHandler(TestHandlers.accepting()).build();
        String parent = driver.shard(0);
        driver.append(parent, "old-in-parent", T0);
        List<String> children = driver.stream().split(parent);
        driver.append(children.get(0), "old-in-child", T0.plusSeconds(1));
        driver.runUntilIdle();
        driver.append(children.get(0), "new", T0.plusSeconds(11));

        driver.advance(Duration.ofSeconds(2));

        assertThat(describe(driver.invocations())).containsExactly("[new]");
    }

    @Test
    void withAtTimestampChildShardsOfASplitSkipRecordsOlderThanTheTimestamp() {
        EsmTestDriver driver = EsmTestDriver.builder().config(atTimestamp(T0.plusSeconds(10))).start(T0.plusSeconds(20))
                .kinesisHandler(TestHandlers.accepting()).build();
        String parent = driver.shard(0);
        driver.append(parent, "p-old", T0.plusSeconds(1));
        List<String> children = driver.stream().split(parent);
        driver.append(children.get(0), "c0-old", T0.plusSeconds(5));
        driver.append(children.get(0), "c0-new", T0.plusSeconds(12));
        driver.append(children.get(1), "c1-old", T0.plusSeconds(6));
        driver.append(children.get(1), "c1-at", T0.plusSeconds(10));

        driver.runUntilIdle();

        // as KCL does: the descendants of shards read from AT_TIMESTAMP start at the timestamp too, not at TRIM_HORIZON
        assertThat(describe(driver.invocations())).containsExactly("[c0-new]", "[c1-at]");
        assertThat(driver.checkpoint(parent)).contains(Checkpoint.shardEnd());
    }

    @Test
    void withAtTimestampTheChildOfAMergeSkipsRecordsOlderThanTheTimestamp() {
        EsmTestDriver driver = EsmTestDriver.builder().config(atTimestamp(T0.plusSeconds(10))).shards(2).start(T0.plusSeconds(20))
                .kinesisHandler(TestHandlers.accepting()).build();
        driver.append(driver.shard(0), "a-new", T0.plusSeconds(11));
        String child = driver.stream().merge(driver.shard(0), driver.shard(1));
        driver.append(child, "m-old", T0.plusSeconds(7));
        driver.append(child, "m-new", T0.plusSeconds(13));

        driver.runUntilIdle();

        assertThat(describe(driver.invocations())).containsExactly("[a-new]", "[m-new]");
    }

    private static EventSourceMappingConfig atTimestamp(Instant timestamp) {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.AT_TIMESTAMP).startingPositionTimestamp(timestamp).build();
    }

    @Test
    void aParentFinishedBeforeARestartIsNotReadAgain() {
        EsmTestDriver driver = EsmTestDriver.builder().config(trimHorizon()).start(T0.plusSeconds(10))
                .kinesisHandler(TestHandlers.accepting()).build();
        String parent = driver.shard(0);
        driver.append(parent, "p", T0);
        List<String> children = driver.stream().split(parent);
        driver.append(children.get(0), "c", T0.plusSeconds(1));
        driver.runUntilIdle();

        driver.restart();
        driver.append(children.get(1), "d", T0.plusSeconds(11));
        driver.advance(Duration.ofSeconds(2));

        assertThat(describe(driver.invocations())).containsExactly("[p]", "[c]", "[d]");
    }
}
