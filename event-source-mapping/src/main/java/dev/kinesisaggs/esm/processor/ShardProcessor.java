package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.filter.RecordFilter;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.retrieval.ReadResult;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one shard as Lambda's event source mapping does (spec §2, §4, §5): reads it in order ({@link ShardPoller}),
 * spreads the records over its {@link Lane}s, and on each lane in turn cuts the next batch ({@link BatchCutter}),
 * invokes the function ({@link LaneInvocations}) and takes the outcome in ({@link BatchOutcomes}). The tumbling window
 * ({@link ShardWindow}), the checkpoints ({@link ShardCheckpoints}), what is given up ({@link Discards}) and the
 * counters ({@link ShardCounters}) are parts of their own; this class keeps the step loop and the lanes.
 *
 * <p>It is a state machine driven from outside: {@link #step()} does at most one thing (one
 * read, one batch decision or one invocation) and says when it next has something to do. The
 * threaded runner sleeps until then; the test driver advances its clock to it. All time comes
 * from the mapping's clock, so the same code runs in real time and in simulated time.
 */
public final class ShardProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(ShardProcessor.class);
    /** "Nothing to do until something changes" (the shard has ended). */
    public static final Instant NEVER = Instant.MAX;

    private final MappingParts parts;
    private final EventSourceMappingConfig config;
    private final String shardId;
    private final ShardPosition positionWithoutCheckpoint;
    private final EventJson json;
    /** FilterCriteria: records it drops never reach a lane; they are checkpointed past. */
    private final RecordFilter filter;
    private final RecordAge age;
    private final ShardCounters counters = new ShardCounters();
    private final ShardCheckpoints checkpoints;
    private final ShardWindow window;
    private final Discards discards;
    private final BatchCutter cutter;
    private final LaneInvocations invocations;

    private final ShardPoller poller;
    private final Lane[] lanes;
    /** The lane the current step works on. */
    private Lane lane;
    private int nextLane;
    private boolean started;
    private boolean finished;
    private volatile ShardStatus status;

    public ShardProcessor(MappingParts parts, String shardId, ShardPosition positionWithoutCheckpoint) {
        this.parts = parts;
        this.config = parts.config();
        this.shardId = shardId;
        this.positionWithoutCheckpoint = positionWithoutCheckpoint;
        this.json = parts.eventJson();
        this.filter = config.filterCriteria().matcher();
        this.age = new RecordAge(config, parts.source().retention());
        this.poller = new ShardPoller(parts.source(), shardId, config.batchSize(), config.pollInterval());
        this.lanes = new Lane[config.hasTumblingWindow() ? 1 : config.parallelizationFactor()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(lanes.length == 1 ? shardId : shardId + "#" + i);
        }
        this.lane = lanes[0];
        this.checkpoints = new ShardCheckpoints(parts.checkpoints(), parts.identity(), shardId, lanes.length > 1);
        this.window = new ShardWindow(config, shardId, checkpoints, counters);
        this.discards = new Discards(parts, shardId, checkpoints, counters);
        this.cutter = new BatchCutter(config, json, shardId, window, age);
        BatchOutcomes outcomes = new BatchOutcomes(parts, shardId, window, checkpoints, discards, counters, age);
        this.invocations = new LaneInvocations(parts, shardId, lanes.length > 1, window, outcomes, counters);
        this.status = snapshot();
    }

    public String shardId() {
        return shardId;
    }

    /** True once the shard is read to its end, every record is handled and {@code SHARD_END} is checkpointed. */
    public boolean finished() {
        return finished;
    }

    public ShardStatus status() {
        return status;
    }

    /**
     * Called (on the invocation's thread) each time one of this shard's lane invocations returns;
     * set before the first step. Only this shard's thread is woken: the result is its business alone.
     */
    public void onInvocationReturned(Runnable r) {
        invocations.onReturned(r);
    }

    /**
     * For a mapping that stops at once: from now on an invocation that returns (cut by the stop) is dropped, neither
     * retried, given up, counted nor checkpointed, and nothing more is invoked. Any thread may call it.
     */
    public void abandonInFlight() {
        invocations.abandonInFlight();
    }

    /**
     * On close: waits up to {@code maxWait} for the lanes' invocations in flight and takes in those
     * that return, so that what they handled is checkpointed (an invocation in flight is allowed to
     * finish). Those still running after it are abandoned, their records read again by the next mapping.
     */
    public void finishInFlight(Duration maxWait) {
        try {
            invocations.finish(lanes, maxWait);
        } finally {
            status = snapshot();
        }
    }

    /**
     * Does at most one unit of work and returns when this processor next wants to run:
     * now or earlier means "call again at once", {@link #NEVER} means it has finished.
     */
    public Instant step() {
        try {
            return doStep();
        } finally {
            status = snapshot();
        }
    }

    private Instant doStep() {
        Instant now = now();
        if (finished) {
            return NEVER;
        }
        if (!started) {
            start(now);
            return finished ? NEVER : now;
        }
        if (checkpoints.hasUnsaved()) {
            return checkpoints.saveUnsaved() ? now : now.plusSeconds(1);
        }
        // a lane's invocation that has come back is taken in first
        for (Lane l : lanes) {
            if (l.inFlight != null && l.inFlight.result().isDone()) {
                invocations.takeIn(l);
                return now();
            }
        }
        // each lane in turn: its due retry, else its next batch
        boolean someLaneFree = false;
        for (int i = 0; i < lanes.length; i++) {
            int index = (nextLane + i) % lanes.length;
            lane = lanes[index];
            if (lane.inFlight != null) {
                continue;
            }
            if (!lane.work.isEmpty()) {
                Work w = lane.work.peek();
                if (!now.isBefore(w.notBefore)) {
                    nextLane = (index + 1) % lanes.length;
                    invocations.start(lane, w);
                    return now();
                }
                continue;
            }
            someLaneFree = true;
            if (decide(now)) {
                nextLane = (index + 1) % lanes.length;
                return now;
            }
        }
        if (someLaneFree && !poller.ended() && totalPending() < config.batchSize() * lanes.length && !now.isBefore(poller.nextPollAt())) {
            poll(now);
            return now;
        }
        if (checkpoints.hasFilteredTail() && allLanesIdle() && !window.isOpen()) {
            checkpoints.saveFilteredTail();
            return now;
        }
        if (poller.ended() && allLanesIdle() && !window.isOpen()) {
            checkpoints.saveShardEnd();
            if (checkpoints.hasUnsaved()) {
                return now.plusSeconds(1);
            }
            finished = true;
            LOG.atInfo().log(() -> shardId + " read to SHARD_END and checkpointed; its children may start");
            return NEVER;
        }
        return nextWake(now);
    }

    private void start(Instant now) {
        // if loading the checkpoint or opening the reader throws, the next step starts again
        Optional<Checkpoint> saved = checkpoints.load();
        if (saved.isPresent() && saved.get().shardEnded()) {
            started = true;
            finished = true;
            return;
        }
        // The starting position applies only to a shard without a checkpoint (spec §1.2).
        ShardPosition position = saved.map(Checkpoint::resumeAt).orElse(positionWithoutCheckpoint);
        if (saved.isEmpty() && position instanceof ShardPosition.Latest) {
            // where this mapping's LATEST is, kept before reading, so that a restart before the first checkpoint resumes
            // there: a clock margin before now (ShardPosition.LATEST_CLOCK_MARGIN) until the first record read says exactly
            checkpoints.saveStart(ShardPosition.atTimestamp(now.minus(ShardPosition.LATEST_CLOCK_MARGIN)));
        }
        poller.open(position, now);
        started = true;
        for (Lane l : lanes) {
            l.batchingWindowStart = now;
        }
        LOG.atInfo().log(() -> shardId + " starting at " + ShardPoller.describe(position) + (lanes.length > 1 ? " in " + lanes.length + " lanes" : ""));
    }

    // ---------------------------------------------------------------- reading

    /** Reads, and spreads what FilterCriteria keeps over the lanes. */
    private void poll(Instant now) {
        ReadResult read = poller.read(now);
        if (read.throttled()) {
            return;
        }
        if (!read.records().isEmpty()) {
            // nothing processed yet: the first record read is exactly where a restart must begin (no clock margin)
            checkpoints.startAtFirstRead(read.records().get(0).sequenceNumber());
        }
        for (StreamRecord r : read.records()) {
            if (!filter.matches(r)) {
                checkpoints.dropped(r);
                continue;
            }
            checkpoints.read(r);
            lanes[laneOf(r)].pending.add(new Lane.Pending(r, json.recordBytes(r)));
        }
        counters.read(read.records().size(), read.millisBehindLatest());
    }

    private Instant nextWake(Instant now) {
        Instant next = NEVER;
        boolean someLaneFree = false;
        for (Lane l : lanes) {
            if (l.inFlight != null) {
                continue; // the invocation's return wakes the runner
            }
            if (!l.work.isEmpty()) {
                next = min(next, l.work.peek().notBefore);
                continue;
            }
            someLaneFree = true;
            if (!l.pending.isEmpty()) {
                next = min(next, cutter.batchingDeadline(l));
                if (age.discards()) {
                    next = min(next, age.expiresAt(l.pending.peek().record()));
                }
            }
        }
        lane = lanes[0];
        if (someLaneFree && !poller.ended() && totalPending() < config.batchSize() * lanes.length) {
            next = min(next, poller.nextPollAt());
        }
        // once the grace has passed, what still keeps the window open is a read reaching the tip, due at nextPollAt
        if (window.isOpen() && window.idleAt().isAfter(now) && lane.idle()) {
            next = min(next, window.idleAt());
        }
        return next.isAfter(now) ? next : now.plusMillis(1);
    }

    /** The lane of a record: a stable hash of its partition key, so that one key always goes to one lane, in order. */
    private int laneOf(StreamRecord r) {
        return lanes.length == 1 ? 0 : Math.floorMod(r.partitionKey().hashCode(), lanes.length);
    }

    private int totalPending() {
        int n = 0;
        for (Lane l : lanes) {
            n += l.pending.size();
        }
        return n;
    }

    private boolean allLanesIdle() {
        for (Lane l : lanes) {
            if (!l.idle()) {
                return false;
            }
        }
        return true;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    // ---------------------------------------------------------------- deciding and invoking

    /** Decides what the current lane delivers next: a final invoke, a discard by age or size, or a batch. False when nothing is due. */
    private boolean decide(Instant now) {
        Optional<String> closing = window.closesNow(lane, now, poller.ended(), poller.caughtUpAt());
        if (closing.isPresent()) {
            LOG.atDebug().log(() -> shardId + " closing window " + window.open().orElseThrow() + ": " + closing.get());
            lane.work.add(new Work(Work.Kind.FINAL, List.of(), now));
            return true;
        }
        Optional<BatchCutter.Cut> cut = cutter.cut(lane, now, poller.ended());
        if (cut.isEmpty()) {
            return false;
        }
        if (cut.get() instanceof BatchCutter.Cut.Expired e) {
            discards.giveUp(e.records(), FailureRecords.RECORD_AGE_EXCEEDED, 1, Optional.empty(), parts.requestIds().get());
        } else if (cut.get() instanceof BatchCutter.Cut.TooLarge t) {
            // One record whose event alone exceeds 6 MB cannot be delivered: to the destination only (spec §2).
            LOG.atWarn().log(() -> shardId + " record " + t.record().sequenceNumber() + " alone exceeds the payload limit; not invoking");
            discards.giveUp(List.of(t.record()), FailureRecords.PAYLOAD_TOO_LARGE, 0, Optional.empty(), parts.requestIds().get());
        } else {
            BatchCutter.Cut.Batch b = (BatchCutter.Cut.Batch) cut.get();
            window.cutIn(b.window());
            lane.work.add(new Work(b.lastChunk() ? Work.Kind.FINAL : Work.Kind.DATA, b.records(), now));
        }
        return true;
    }

    private Instant now() {
        return parts.clock().instant();
    }

    private ShardStatus snapshot() {
        boolean retrying = false;
        for (Lane l : lanes) {
            retrying |= !l.work.isEmpty() && l.work.peek().retrying();
        }
        String phase = finished ? "ENDED" : !started ? "STARTING" : retrying ? "RETRYING" : "PROCESSING";
        return counters.snapshot(shardId, phase, window.open(), checkpoints.lastSaved());
    }

    /** Whether the store refused this shard's last checkpoint (still being tried again while the shard runs). */
    public boolean checkpointUnsaved() {
        return checkpoints.hasUnsaved();
    }

    /** Releases the reader. */
    public void close() {
        poller.close();
    }
}
