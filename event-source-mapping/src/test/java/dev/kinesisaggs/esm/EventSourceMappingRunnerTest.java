package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.invocation.LambdaHandlers;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.retrieval.InMemoryStream;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The threaded runner, in real time, on an in-memory stream. */
class EventSourceMappingRunnerTest {

    private final Clock clock = Clock.systemUTC();

    private static EventSourceMappingConfig.Builder fast() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                .pollInterval(Duration.ofMillis(20)).retryBackoffInitial(Duration.ofMillis(20)).retryBackoffMax(Duration.ofMillis(40));
    }

    private static RequestHandler<KinesisEvent, Void> recordingInto(List<String> seen) {
        return (event, context) -> {
            event.getRecords().forEach(r -> seen.add(TestHandlers.text(r)));
            return null;
        };
    }

    @Test
    void everyShardIsProcessedOnItsOwnThreadAndTheStatusShowsIt() {
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", 2, clock);
        String shard0 = stream.shardIds().get(0);
        String shard1 = stream.shardIds().get(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        // the thread that takes each invocation in: the shard's own (the handler itself runs on the timeout's watchdog)
        Map<String, Set<Thread>> threadsByShard = new ConcurrentHashMap<>();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(fast().batchSize(1).build()).source(stream)
                .listener(i -> threadsByShard.computeIfAbsent(i.shardId(), k -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread()))
                .kinesisHandler(recordingInto(seen)).clock(clock).build().start()) {
            stream.append(shard0, "a", clock.instant());
            stream.append(shard1, "b", clock.instant());
            stream.append(shard0, "c", clock.instant());
            stream.append(shard1, "d", clock.instant());

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);

            assertThat(seen).containsExactlyInAnyOrder("a", "b", "c", "d");
            await().atMost(Duration.ofSeconds(5)).until(() -> esm.status().totalInvocations() == 4);
            assertThat(esm.status().shards()).extracting(ShardStatus::recordsIn).containsExactly(2L, 2L);
            assertThat(esm.status().shards()).allMatch(s -> s.lastCheckpoint().isPresent() && s.lastProcessingResult().equals("OK"));
            assertThat(esm.status().running()).isTrue();
            // one thread per shard, the same for each of its invocations, named after it, and both alive at once
            assertThat(threadsByShard).containsOnlyKeys(shard0, shard1);
            assertThat(threadsByShard.get(shard0)).singleElement().satisfies(t -> {
                assertThat(t.getName()).isEqualTo("esm-" + shard0);
                assertThat(t.isAlive()).isTrue();
            });
            assertThat(threadsByShard.get(shard1)).singleElement().satisfies(t -> {
                assertThat(t.getName()).isEqualTo("esm-" + shard1);
                assertThat(t.isAlive()).isTrue();
            });
            assertThat(threadsByShard.get(shard0)).doesNotContainAnyElementsOf(threadsByShard.get(shard1));
        }
    }

    @SuppressWarnings("try") // the mapping runs while the block waits for its effects
    @Test
    void aNewMappingResumesFromTheCheckpointsOfAStoppedOne() {
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", 2, clock);
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        List<String> seen = new CopyOnWriteArrayList<>();
        String shard = stream.shardIds().get(0);
        try (EventSourceMapping esm = EventSourceMapping.builder().config(fast().build()).source(stream).checkpoints(checkpoints)
                .kinesisHandler(recordingInto(seen)).build().start()) {
            assertThat(esm.shardsResumed()).isEmpty();
            // the other shard as if finished: a mapping does not resume a shard it ended
            checkpoints.save(esm.identity(), stream.shardIds().get(1), Checkpoint.shardEnd());
            stream.append(shard, "a", clock.instant());
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> checkpoints.load(esm.identity(), shard).isPresent());
        }
        stream.append(shard, "b", clock.instant());

        try (EventSourceMapping esm = EventSourceMapping.builder().config(fast().startingPosition(StartingPosition.LATEST).build())
                .source(stream).checkpoints(checkpoints).kinesisHandler(recordingInto(seen)).build().start()) {
            assertThat(esm.shardsResumed()).containsExactly(shard);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
        }

        assertThat(seen).containsExactly("a", "b");
    }

    @SuppressWarnings("try") // the mapping runs while the block waits for its effects
    @Test
    void aFileDestinationNamedInTheConfigGetsOneJsonLinePerDiscardedBatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("failures.jsonl");
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", 1, clock);
        try (EventSourceMapping esm = EventSourceMapping.builder()
                .config(fast().maximumRetryAttempts(1).onFailureDestination(file.toString()).build())
                .source(stream).kinesisHandler(TestHandlers.throwingOn(s -> true)).build().start()) {
            stream.append(stream.shardIds().get(0), "x", clock.instant());
            stream.append(stream.shardIds().get(0), "y", clock.instant().plusSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readAllLines(file).size() == 2);
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{\"requestContext\":").contains("\"condition\":\"RetryAttemptsExhausted\""));
    }

    @Test
    void parallelizationFactorLanesHaveTheirInvocationsInFlightAtTheSameTimeAndKeepEachKeyInOrder() {
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", 1, clock);
        String shard = stream.shardIds().get(0);
        List<String> sent = new ArrayList<>();
        StreamRecord last = null;
        for (int i = 0; i < 48; i++) {
            String key = String.valueOf(i % 8); // "0".."7": two keys in each of the four lanes
            String data = key + ":" + i;
            last = stream.append(shard, key, data.getBytes(StandardCharsets.UTF_8), clock.instant());
            sent.add(data);
        }
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        List<String> seen = new CopyOnWriteArrayList<>();
        RequestHandler<KinesisEvent, Void> holding = (event, context) -> {
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            try {
                // hold the invocation until another one is in flight (or a while has passed): lanes that
                // overlap show it, lanes that took turns would not
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (inFlight.get() < 2 && System.nanoTime() < until) {
                    Thread.sleep(5);
                }
                event.getRecords().forEach(r -> seen.add(TestHandlers.text(r)));
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        };
        String lastSequenceNumber = last.sequenceNumber();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(fast().parallelizationFactor(4).batchSize(3).build())
                .source(stream).functionFactory(() -> LambdaHandlers.kinesis(holding)).build().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= sent.size());
            await().atMost(Duration.ofSeconds(5)).until(() -> esm.status().shards().get(0).lastCheckpoint().equals(Optional.of(lastSequenceNumber)));
        }

        assertThat(mostInFlight.get()).isGreaterThan(1);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(sent);
        for (int k = 0; k < 8; k++) {
            String prefix = k + ":";
            assertThat(seen.stream().filter(d -> d.startsWith(prefix)).toList())
                    .containsExactlyElementsOf(sent.stream().filter(d -> d.startsWith(prefix)).toList());
        }
    }

    @Test
    void aHandlerStuckPastItsTimeoutIsAbandonedAndCountsAsAFailure() {
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", 1, clock);
        RequestHandler<KinesisEvent, Void> stuck = (event, context) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        try (EventSourceMapping esm = EventSourceMapping.builder().config(fast().functionTimeout(Duration.ofSeconds(1)).maximumRetryAttempts(0).build())
                .source(stream).kinesisHandler(stuck).build().start()) {
            stream.append(stream.shardIds().get(0), "x", clock.instant());
            await().atMost(Duration.ofSeconds(10)).until(() -> esm.status().shards().size() == 1
                    && esm.status().shards().get(0).recordsDiscarded() == 1);
            assertThat(esm.status().shards().get(0).failedInvocations()).isEqualTo(1);
        }
    }
}
