package dev.kinesisaggs.esm.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.CheckpointStore;
import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.checkpoint.MappingIdentity;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.coordinator.ShardCoordinator;
import dev.kinesisaggs.esm.destination.InMemoryDestination;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.ConcurrencyLimit;
import dev.kinesisaggs.esm.invocation.FunctionInvoker;
import dev.kinesisaggs.esm.invocation.Invoker;
import dev.kinesisaggs.esm.invocation.LambdaFunction;
import dev.kinesisaggs.esm.invocation.LambdaHandlers;
import dev.kinesisaggs.esm.metrics.MappingStatus;
import dev.kinesisaggs.esm.processor.InvocationExecutor;
import dev.kinesisaggs.esm.processor.InvocationListener;
import dev.kinesisaggs.esm.processor.MappingParts;
import dev.kinesisaggs.esm.processor.ShardProcessor;
import dev.kinesisaggs.esm.retrieval.InMemoryStream;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the event source mapping deterministically, in the style of Kafka Streams'
 * {@code TopologyTestDriver}: append records with chosen arrival times to in-memory shards,
 * advance a manual clock, and observe every invocation (the event as delivered), every
 * checkpoint and every on-failure record. Everything runs on the caller's thread, in
 * simulated time: an hour of polling, windows and backoff takes milliseconds.
 *
 * <pre>{@code
 * EsmTestDriver driver = EsmTestDriver.builder().config(config).timeWindowHandler(handler).build();
 * driver.append(driver.shard(0), "a", driver.start().plusSeconds(1));
 * driver.advance(Duration.ofMinutes(3));
 * driver.invocations() ...
 * }</pre>
 */
public final class EsmTestDriver {

    /** Guards against a processor that asks to run again and again without time passing. */
    private static final int MAX_STEPS_AT_ONE_INSTANT = 1_000_000;

    private final EventSourceMappingConfig config;
    private final ManualClock clock;
    private final Instant start;
    private final InMemoryStream stream;
    private final CheckpointStore checkpoints;
    private final InMemoryDestination destination = new InMemoryDestination();
    private final LambdaFunction function;
    /** The function's concurrency limit, kept across restarts as the function outlives the mapping's process. */
    private final Optional<ConcurrencyLimit> concurrency;
    private final List<DeliveredInvocation> invocations = new ArrayList<>();
    private final AtomicLong requestCounter = new AtomicLong();
    private ShardCoordinator coordinator;
    private final Map<ShardProcessor, Instant> wakes = new HashMap<>();

    private EsmTestDriver(Builder b) {
        this.config = b.config;
        this.clock = b.clock != null ? b.clock : new ManualClock(b.start);
        this.start = clock.instant();
        this.stream = new InMemoryStream(b.streamArn, b.shards, clock);
        this.checkpoints = b.checkpoints;
        this.function = b.function;
        this.concurrency = config.maxConcurrency().map(ConcurrencyLimit::new);
        this.coordinator = newCoordinator();
    }

    public static Builder builder() {
        return new Builder();
    }

    private ShardCoordinator newCoordinator() {
        FunctionInvoker direct = new FunctionInvoker(function, clock, config.functionTimeout(), config.functionArn(),
                this::nextRequestId, Optional.empty());
        Invoker invoker = concurrency.map(c -> c.guard(direct, this::nextRequestId)).orElse(direct);
        InvocationListener listener = i -> {
            try {
                invocations.add(new DeliveredInvocation(i.shardId(), i.at(), EventJson.mapper().readTree(i.eventJson()),
                        i.eventJson(), i.result(), i.outcome()));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        };
        // lanes invoke inline: one thing at a time, in simulated time
        MappingParts parts = new MappingParts(config, stream, checkpoints, destination, invoker, clock, this::nextRequestId, listener,
                InvocationExecutor.inline());
        return new ShardCoordinator(parts);
    }

    /** Request ids are counted, so that tests can name them: 00000000-0000-0000-0000-000000000001, ... */
    private String nextRequestId() {
        return new UUID(0, requestCounter.incrementAndGet()).toString();
    }

    // ---------------------------------------------------------------- input

    public InMemoryStream stream() {
        return stream;
    }

    public ManualClock clock() {
        return clock;
    }

    /** The instant the driver's clock started at. */
    public Instant start() {
        return start;
    }

    public Instant now() {
        return clock.instant();
    }

    /** The id of the i-th shard (0-based) in creation order, children included. */
    public String shard(int index) {
        return stream.shardIds().get(index);
    }

    public StreamRecord append(String shardId, String data, Instant arrival) {
        return stream.append(shardId, "pk-" + data, data.getBytes(StandardCharsets.UTF_8), arrival);
    }

    /** Appends to shard 0, arriving {@code secondsAfterStart} after the driver's start. */
    public StreamRecord append(String data, double secondsAfterStart) {
        return append(shard(0), data, start.plusMillis(Math.round(secondsAfterStart * 1000)));
    }

    /**
     * The function's concurrency limit ({@code maxConcurrency}): {@code occupy(n)} to make n units busy with other
     * invocations of the function, so that the mapping's are throttled, and {@code throttles()} to count them.
     */
    public ConcurrencyLimit functionConcurrency() {
        return concurrency.orElseThrow(() -> new IllegalStateException(
                "The mapping has no concurrency limit: set maxConcurrency in its config."));
    }

    // ---------------------------------------------------------------- time

    /** Runs everything due at the current instant, without moving the clock. */
    public EsmTestDriver runUntilIdle() {
        runDue();
        return this;
    }

    /** Moves the clock forward by {@code d}, running every poll, batch, retry and window close on the way, at its due time. */
    public EsmTestDriver advance(Duration d) {
        return advanceTo(clock.instant().plus(d));
    }

    public EsmTestDriver advanceTo(Instant target) {
        while (true) {
            runDue();
            Instant next = ShardProcessor.NEVER;
            for (Instant w : wakes.values()) {
                if (w.isBefore(next)) {
                    next = w;
                }
            }
            if (next.isAfter(target)) {
                break;
            }
            clock.set(next);
        }
        clock.set(target);
        runDue();
        return this;
    }

    private void runDue() {
        int steps = 0;
        while (true) {
            for (ShardProcessor p : coordinator.discover()) {
                wakes.put(p, clock.instant());
            }
            boolean ran = false;
            for (ShardProcessor p : coordinator.processors()) {
                Instant wake = wakes.get(p);
                if (wake != null && !wake.isAfter(clock.instant())) {
                    Instant next = p.step();
                    if (p.finished()) {
                        wakes.remove(p);
                    } else {
                        wakes.put(p, next);
                    }
                    ran = true;
                    if (++steps > MAX_STEPS_AT_ONE_INSTANT) {
                        throw new IllegalStateException(p.shardId() + " keeps asking to run without time passing");
                    }
                }
            }
            if (!ran) {
                return;
            }
        }
    }

    /**
     * Simulates the runner being killed: every processor and its in-memory state (pending records,
     * window state, retries) is dropped; a new set starts from the checkpoints, as a restarted process would.
     */
    public EsmTestDriver restart() {
        coordinator.processors().forEach(ShardProcessor::close);
        wakes.clear();
        coordinator = newCoordinator();
        return this;
    }

    // ---------------------------------------------------------------- output

    public List<DeliveredInvocation> invocations() {
        return List.copyOf(invocations);
    }

    public List<DeliveredInvocation> invocations(String shardId) {
        return invocations.stream().filter(i -> i.shardId().equals(shardId)).toList();
    }

    public List<ObjectNode> destinationRecords() {
        return destination.records();
    }

    public Optional<Checkpoint> checkpoint(String shardId) {
        return checkpoints.load(new MappingIdentity(config.mappingId(), stream.streamArn(), config.functionArn()), shardId);
    }

    /** Every checkpoint saved, in order (with the default in-memory store). */
    public List<InMemoryCheckpointStore.Saved> checkpointHistory() {
        if (!(checkpoints instanceof InMemoryCheckpointStore memory)) {
            throw new IllegalStateException("The checkpoint history is kept only by the default in-memory store.");
        }
        return memory.history();
    }

    public MappingStatus status() {
        return new MappingStatus(config.mappingId(), stream.streamArn(), clock.instant(), true, coordinator.statuses());
    }

    public static final class Builder {
        private EventSourceMappingConfig config = EventSourceMappingConfig.builder()
                .startingPosition(dev.kinesisaggs.esm.config.StartingPosition.TRIM_HORIZON).build();
        private Instant start = Instant.parse("2024-01-01T00:00:00Z");
        private int shards = 1;
        private String streamArn = "arn:aws:kinesis:us-east-1:000000000000:stream/test-stream";
        private CheckpointStore checkpoints = new InMemoryCheckpointStore();
        private LambdaFunction function;
        private ManualClock clock;

        private Builder() {
        }

        /** Default: AWS's defaults, but TRIM_HORIZON so that records appended before the first poll are read. */
        public Builder config(EventSourceMappingConfig v) { config = v; return this; }
        public Builder start(Instant v) { start = v; return this; }
        /** Share a clock with a handler that "takes time" by advancing it; the driver starts at the clock's instant. */
        public Builder clock(ManualClock v) { clock = v; return this; }
        public Builder shards(int v) { shards = v; return this; }
        public Builder streamArn(String v) { streamArn = v; return this; }
        /** Default: in memory. Another store (say, one that fails on purpose) works too, but then {@link #checkpointHistory()} does not. */
        public Builder checkpoints(CheckpointStore v) { checkpoints = v; return this; }
        public Builder function(LambdaFunction v) { function = v; return this; }
        public Builder kinesisHandler(RequestHandler<KinesisEvent, ?> v) { function = LambdaHandlers.kinesis(v); return this; }
        public Builder timeWindowHandler(RequestHandler<KinesisTimeWindowEvent, ?> v) { function = LambdaHandlers.timeWindow(v); return this; }
        /** Any handler object, adapted by its declared event type. */
        public Builder handler(Object v) { function = LambdaHandlers.forHandler(v); return this; }

        public EsmTestDriver build() {
            if (function == null) {
                throw new IllegalStateException("Give the driver a handler: kinesisHandler, timeWindowHandler or function.");
            }
            return new EsmTestDriver(this);
        }
    }
}
