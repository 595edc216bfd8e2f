package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.invocation.LambdaFunction;
import dev.kinesisaggs.esm.retrieval.InMemoryStream;
import dev.kinesisaggs.esm.retrieval.ShardInfo;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import dev.kinesisaggs.esm.retrieval.ShardReader;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.retrieval.StreamSource;
import dev.kinesisaggs.esm.destination.InMemoryDestination;
import dev.kinesisaggs.esm.processor.InvocationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ParallelizationFactor lanes in the threaded runner, with real threads and real time. */
class ParallelLanesInRealTimeTest {

    /** An in-memory stream that counts ListShards calls. */
    private static final class CountingSource implements StreamSource {
        final InMemoryStream stream;
        final AtomicInteger listShards = new AtomicInteger();

        CountingSource(InMemoryStream stream) {
            this.stream = stream;
        }

        @Override
        public String streamArn() {
            return stream.streamArn();
        }

        @Override
        public List<ShardInfo> listShards() {
            listShards.incrementAndGet();
            return stream.listShards();
        }

        @Override
        public ShardReader openReader(String shardId, ShardPosition position) {
            return stream.openReader(shardId, position);
        }
    }

    private static InMemoryStream streamWith(int records) {
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", 1, Clock.systemUTC());
        Instant arrival = Instant.now().minusSeconds(1);
        for (int i = 0; i < records; i++) {
            stream.append(stream.shardIds().get(0), "pk-" + i, ("r" + i).getBytes(StandardCharsets.UTF_8), arrival);
        }
        return stream;
    }

    /** A handler that counts its starts, sleeps for {@code d}, and says whether it finished or was interrupted. */
    private static LambdaFunction sleeping(Duration d, AtomicInteger started, List<String> outcomes) {
        return (json, context) -> {
            started.incrementAndGet();
            try {
                Thread.sleep(d.toMillis());
                outcomes.add("finished");
            } catch (InterruptedException e) {
                outcomes.add("interrupted");
                throw e;
            }
            return "";
        };
    }

    @Test
    void lanesReturningInvocationsDoNotMakeTheMappingListShardsMoreOftenThanEveryTenSeconds() {
        CountingSource source = new CountingSource(streamWith(400));
        AtomicInteger invocations = new AtomicInteger();
        LambdaFunction takes10ms = (json, context) -> {
            invocations.incrementAndGet();
            Thread.sleep(10);
            return "";
        };
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                .parallelizationFactor(4).batchSize(5).build();

        String lastSequenceNumber = source.stream.records(source.stream.shardIds().get(0)).get(399).sequenceNumber();
        long started = System.nanoTime();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(source).function(takes10ms).build().start()) {
            // all 400 records, in 80 lane invocations or more, handled and checkpointed
            await().atMost(Duration.ofSeconds(30)).until(() -> esm.status().shards().size() == 1
                    && esm.status().shards().get(0).lastCheckpoint().equals(Optional.of(lastSequenceNumber)));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(invocations.get()).as("lane invocations").isGreaterThanOrEqualTo(80);
        // one look at start, and one more per 10 s discovery interval begun while it ran: none for a returning invocation
        assertThat(source.listShards.get()).as("ListShards calls in %s", took).isLessThanOrEqualTo(2 + (int) (took.toSeconds() / 10));
    }

    @Test
    void closeLetsLaneInvocationsInFlightFinishAndCheckpointsTheirRecords() throws Exception {
        InMemoryStream stream = streamWith(8);
        String shard = stream.shardIds().get(0);
        List<StreamRecord> records = stream.records(shard);
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger started = new AtomicInteger();
        LambdaFunction takes2s = sleeping(Duration.ofSeconds(2), started, outcomes);
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                .parallelizationFactor(2).batchSize(100).build();
        EventSourceMapping esm = EventSourceMapping.builder().config(config).source(stream).checkpoints(checkpoints)
                .functionFactory(() -> takes2s).build().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == 2); // both lanes' invocations are in flight
        Thread.sleep(200);

        esm.close();

        assertThat(outcomes).containsExactly("finished", "finished");
        assertThat(checkpoints.load(esm.identity(), shard))
                .contains(Checkpoint.at(records.get(records.size() - 1).sequenceNumber()));
    }

    @ParameterizedTest(name = "ParallelizationFactor {0}")
    @ValueSource(ints = {1, 2})
    void closeNowCutsInvocationsInFlightAndNeitherCountsNorGivesUpNorCheckpointsThem(int lanes) throws Exception {
        cutInvocationsAreNeitherCountedNorGivenUpNorCheckpointed(lanes, EventSourceMapping::closeNow);
    }

    /** As on Ctrl-C in consume: a grace, then the cut; with one lane the result of the cut was taken in as a failure. */
    @ParameterizedTest(name = "ParallelizationFactor {0}")
    @ValueSource(ints = {1, 2})
    void closeWithAGraceCutsWhatOutlivesItAsCloseNowDoes(int lanes) throws Exception {
        cutInvocationsAreNeitherCountedNorGivenUpNorCheckpointed(lanes, esm -> esm.close(Duration.ofSeconds(1)));
    }

    private void cutInvocationsAreNeitherCountedNorGivenUpNorCheckpointed(int lanes, java.util.function.Consumer<EventSourceMapping> close)
            throws Exception {
        InMemoryStream stream = streamWith(8);
        String shard = stream.shardIds().get(0);
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        InMemoryDestination destination = new InMemoryDestination();
        List<InvocationListener.Invocation> taken = Collections.synchronizedList(new ArrayList<>());
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger started = new AtomicInteger();
        LambdaFunction takes60s = sleeping(Duration.ofSeconds(60), started, outcomes);
        // no retry: a cut invocation taken as the function's failure would be given up to the destination at once,
        // and the shard checkpointed past its records
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                .parallelizationFactor(lanes).batchSize(100).maximumRetryAttempts(0).functionTimeout(Duration.ofSeconds(120)).build();
        EventSourceMapping esm = EventSourceMapping.builder().config(config).source(stream).checkpoints(checkpoints)
                .destination(destination).listener(taken::add).functionFactory(() -> takes60s).build().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> started.get() == lanes);

        long before = System.nanoTime();
        close.accept(esm);
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        // close() would wait up to the function timeout (120 s) plus 5 s
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == lanes);
        assertThat(outcomes).containsOnly("interrupted");
        Thread.sleep(500); // what a late thread would still do, it would do now
        assertThat(taken).as("invocations taken in").isEmpty();
        assertThat(destination.records()).as("records given up").isEmpty();
        assertThat(checkpoints.load(esm.identity(), shard)).isEmpty();
        assertThat(esm.status().shards()).allSatisfy(s -> assertThat(s.failedInvocations()).isZero());
    }
}
