package dev.kinesisaggs.esm.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.MappingIdentity;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.FinalInvokeRecords;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.filter.RecordFilter;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Outcome;
import dev.kinesisaggs.esm.invocation.ResponseInterpreter;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.retrieval.ReadResult;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import dev.kinesisaggs.esm.retrieval.ShardReader;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Processes one shard as Lambda's event source mapping does (spec §2, §4, §5): reads it in
 * order, cuts batches, invokes the function, passes tumbling-window state, closes windows with
 * a final invoke, retries with backoff, bisects, honours batchItemFailures, expires records by
 * age, sends discarded batches to the on-failure destination and checkpoints what succeeded.
 *
 * <p>It is a state machine driven from outside: {@link #step()} does at most one thing (one
 * read, one batch decision or one invocation) and says when it next has something to do. The
 * threaded runner sleeps until then; the test driver advances its clock to it. All time comes
 * from the mapping's clock, so the same code runs in real time and in simulated time.
 */
public final class ShardProcessor {

    private static final Logger LOG = Logger.getLogger(ShardProcessor.class.getName());
    /** "Nothing to do until something changes" (the shard has ended). */
    public static final Instant NEVER = Instant.MAX;
    private static final int MAX_GET_RECORDS_LIMIT = 10_000;
    private final MappingParts parts;
    private final EventSourceMappingConfig config;
    private final String shardId;
    private final ShardPosition positionWithoutCheckpoint;
    private final EventJson json;
    private final ResponseInterpreter interpreter;
    private final MappingIdentity identity;
    /** FilterCriteria: records it drops never reach a lane; they are checkpointed past. */
    private final RecordFilter filter;
    private final ShardCounters counters = new ShardCounters();
    private final ShardCheckpoints checkpoints;
    private final ShardWindow window;

    private ShardReader reader;

    /** The shard's {@link Lane}s: one, or ParallelizationFactor of them without windows. */
    private final Lane[] lanes;
    /** The lane the current step works on. */
    private Lane lane;
    private int nextLane;
    private boolean started;
    private boolean readerEnded;
    private boolean finished;
    private Instant nextPollAt;
    /** When the last read that reached the tip of the shard began; null while the reader is behind. */
    private Instant caughtUpAt;

    private volatile ShardStatus status;
    /** Wakes this shard's thread when one of its lanes' invocations returns, so that it takes the result in. */
    private Runnable invocationReturned = () -> { };

    public ShardProcessor(MappingParts parts, String shardId, ShardPosition positionWithoutCheckpoint) {
        this.parts = parts;
        this.config = parts.config();
        this.shardId = shardId;
        this.positionWithoutCheckpoint = positionWithoutCheckpoint;
        this.json = parts.eventJson();
        this.interpreter = parts.interpreter();
        this.identity = parts.identity();
        this.filter = config.filterCriteria().matcher();
        this.lanes = new Lane[config.hasTumblingWindow() ? 1 : config.parallelizationFactor()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(lanes.length == 1 ? shardId : shardId + "#" + i);
        }
        this.lane = lanes[0];
        this.checkpoints = new ShardCheckpoints(parts.checkpoints(), identity, shardId, lanes.length > 1);
        this.window = new ShardWindow(config, shardId, checkpoints, counters);
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
        invocationReturned = r;
    }

    /**
     * On close: waits up to {@code maxWait} for the lanes' invocations in flight and takes in those
     * that return, so that what they handled is checkpointed (an invocation in flight is allowed to
     * finish). Those still running after it are abandoned, their records read again by the next mapping.
     */
    public void finishInFlight(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        try {
            for (Lane l : lanes) {
                if (l.inFlight == null) {
                    continue;
                }
                try {
                    l.inFlight.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    LOG.warning(() -> shardId + ": an invocation still running at close is abandoned; its records will be read again");
                    continue;
                } catch (ExecutionException e) {
                    // taken in below as a failed invocation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                lane = l;
                completeInvocation();
            }
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
                lane = l;
                completeInvocation();
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
                    attempt(w);
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
        if (someLaneFree && !readerEnded && totalPending() < config.batchSize() * lanes.length && !now.isBefore(nextPollAt)) {
            poll(now);
            return now;
        }
        if (checkpoints.hasFilteredTail() && allLanesIdle() && !window.isOpen()) {
            checkpoints.saveFilteredTail();
            return now;
        }
        if (readerEnded && allLanesIdle() && !window.isOpen()) {
            checkpoints.saveShardEnd();
            if (checkpoints.hasUnsaved()) {
                return now.plusSeconds(1);
            }
            finished = true;
            LOG.info(() -> shardId + " read to SHARD_END and checkpointed; its children may start");
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
        ShardPosition position = saved.map(c -> ShardPosition.after(c.sequenceNumber())).orElse(positionWithoutCheckpoint);
        reader = parts.source().openReader(shardId, position);
        started = true;
        nextPollAt = now;
        for (Lane l : lanes) {
            l.batchingWindowStart = now;
        }
        LOG.info(() -> shardId + " starting at " + describe(position) + (lanes.length > 1 ? " in " + lanes.length + " lanes" : ""));
    }

    private static String describe(ShardPosition p) {
        if (p instanceof ShardPosition.AfterSequenceNumber a) {
            return "checkpoint " + a.sequenceNumber();
        }
        if (p instanceof ShardPosition.AtTimestamp t) {
            return "AT_TIMESTAMP " + t.timestamp();
        }
        return p instanceof ShardPosition.Latest ? "LATEST" : "TRIM_HORIZON";
    }

    // ---------------------------------------------------------------- reading

    private void poll(Instant now) {
        int limit = Math.min(config.batchSize(), MAX_GET_RECORDS_LIMIT);
        ReadResult read = reader.read(limit);
        if (read.throttled()) {
            // Nothing is known about the tip: neither caught up nor behind changes; try again at the next poll.
            nextPollAt = now.plus(config.pollInterval());
            return;
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
        if (read.shardEnded()) {
            readerEnded = true;
        }
        // Poll once a second per shard; while there is a backlog, keep reading at once (spec §1.1).
        boolean backlog = read.records().size() >= limit || read.millisBehindLatest() > 0;
        nextPollAt = backlog ? now : now.plus(config.pollInterval());
        caughtUpAt = backlog ? null : now;
    }

    private Instant nextWake(Instant now) {
        Instant next = NEVER;
        boolean someLaneFree = false;
        for (Lane l : lanes) {
            lane = l;
            if (l.inFlight != null) {
                continue; // the invocation's return wakes the runner
            }
            if (!l.work.isEmpty()) {
                next = min(next, l.work.peek().notBefore);
                continue;
            }
            someLaneFree = true;
            if (!l.pending.isEmpty()) {
                next = min(next, batchingDeadline());
                if (config.discardsByAge()) {
                    next = min(next, l.pending.peek().record().approximateArrivalTimestamp()
                            .plusSeconds(config.maximumRecordAgeInSeconds()).plusMillis(1));
                }
            }
        }
        lane = lanes[0];
        if (someLaneFree && !readerEnded && totalPending() < config.batchSize() * lanes.length) {
            next = min(next, nextPollAt);
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
            if (!l.pending.isEmpty() || !l.work.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private Instant batchingDeadline() {
        return lane.batchingWindowStart.plusSeconds(config.maximumBatchingWindowInSeconds());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    // ---------------------------------------------------------------- cutting batches

    /** Decides what to deliver next: a final invoke, a discard by age or size, or a batch. False when nothing is due. */
    private boolean decide(Instant now) {
        Optional<String> closing = window.closesNow(lane, now, readerEnded, caughtUpAt);
        if (closing.isPresent()) {
            LOG.fine(() -> shardId + " closing window " + window.open().orElseThrow() + ": " + closing.get());
            lane.work.add(new Work(Work.Kind.FINAL, List.of(), now));
            return true;
        }
        if (lane.pending.isEmpty()) {
            return false;
        }
        List<StreamRecord> expired = takeExpiredPrefix(now);
        if (!expired.isEmpty()) {
            discard(expired.get(0), expired.get(expired.size() - 1), expired.size(), FailureRecords.RECORD_AGE_EXCEEDED,
                    1, Optional.empty(), parts.requestIds().get());
            checkpoints.reported(expired);
            return true;
        }
        TimeWindow batchWindow = window.of(lane.pending.peek().record());
        int bytes = batchWindow == null
                ? json.standardEnvelopeBytes()
                : json.windowEnvelopeBytes(batchWindow, window.stateFor(batchWindow), shardId, false, false);
        List<StreamRecord> batch = new ArrayList<>();
        boolean cutBySize = false;
        boolean cutByWindow = false;
        for (Lane.Pending p : lane.pending) {
            if (batchWindow != null && !batchWindow.equals(window.of(p.record()))) {
                cutByWindow = true;
                break;
            }
            if (batch.size() == config.batchSize()) {
                break;
            }
            int more = p.bytes() + (batch.isEmpty() ? 0 : 1);
            if (bytes + more > config.maxPayloadBytes()) {
                if (batch.isEmpty()) {
                    // One record whose event alone exceeds 6 MB cannot be delivered: to the destination only (spec §2).
                    lane.pending.poll();
                    LOG.warning(() -> shardId + " record " + p.record().sequenceNumber() + " alone exceeds the payload limit; not invoking");
                    discard(p.record(), p.record(), 1, FailureRecords.PAYLOAD_TOO_LARGE, 0, Optional.empty(), parts.requestIds().get());
                    checkpoints.reported(List.of(p.record()));
                    return true;
                }
                cutBySize = true;
                break;
            }
            batch.add(p.record());
            bytes += more;
        }
        boolean full = batch.size() == config.batchSize() || cutBySize;
        boolean ready = full || cutByWindow || readerEnded || !now.isBefore(batchingDeadline());
        if (!ready) {
            return false;
        }
        for (int i = 0; i < batch.size(); i++) {
            lane.pending.poll();
        }
        window.cutIn(batchWindow);
        boolean lastChunkIsFinal = cutByWindow && config.finalInvokeRecords() == FinalInvokeRecords.LAST_CHUNK;
        lane.work.add(new Work(lastChunkIsFinal ? Work.Kind.FINAL : Work.Kind.DATA, batch, now));
        return true;
    }

    private List<StreamRecord> takeExpiredPrefix(Instant now) {
        List<StreamRecord> expired = new ArrayList<>();
        if (!config.discardsByAge()) {
            return expired;
        }
        TimeWindow first = window.of(lane.pending.peek().record());
        Iterator<Lane.Pending> it = lane.pending.iterator();
        while (it.hasNext()) {
            StreamRecord r = it.next().record();
            if (!isExpired(r, now) || (first != null && !first.equals(window.of(r)))) {
                break;
            }
            expired.add(r);
            it.remove();
        }
        return expired;
    }

    private boolean isExpired(StreamRecord r, Instant now) {
        return config.discardsByAge()
                && Duration.between(r.approximateArrivalTimestamp(), now).compareTo(Duration.ofSeconds(config.maximumRecordAgeInSeconds())) > 0;
    }

    // ---------------------------------------------------------------- invoking

    private void attempt(Work w) {
        Instant now = now();
        if (expireBeforeRetry(w, now)) {
            return;
        }
        String event = window.event(json, w);
        Set<String> sequenceNumbers = new HashSet<>();
        w.records.forEach(r -> sequenceNumbers.add(r.sequenceNumber()));
        counters.sending(w.records, now);
        CompletableFuture<InvocationResult> result;
        if (lanes.length == 1) {
            // One lane: nothing to overlap with, so the shard's own thread invokes.
            result = CompletableFuture.completedFuture(parts.invoker().invoke(lane.name, event));
        } else {
            String laneName = lane.name;
            result = parts.invocations().submit(() -> parts.invoker().invoke(laneName, event));
            // registered on the future itself: it is done before the callback runs, so the woken thread sees it done
            Runnable wake = invocationReturned;
            result.whenComplete((r, e) -> wake.run());
        }
        lane.inFlight = new Lane.InFlight(w, now, event, sequenceNumbers, result);
        if (result.isDone()) {
            completeInvocation();
        }
    }

    /** Takes in the result of the current lane's invocation: retries, bisects, discards or moves on. */
    private void completeInvocation() {
        Lane.InFlight inFlight = lane.inFlight;
        lane.inFlight = null;
        Work w = inFlight.work();
        String event = inFlight.event();
        InvocationResult result;
        try {
            result = inFlight.result().join();
        } catch (RuntimeException e) {
            // the invoker reports every failure of the function as a result; this is the pool itself failing
            result = new InvocationResult.Threw(parts.requestIds().get(), Duration.ZERO, e.getClass().getName(), String.valueOf(e.getMessage()));
        }
        Outcome outcome = interpreter.interpret(result, inFlight.sequenceNumbers());
        if (outcome instanceof Outcome.Throttled) {
            throttled(w);
            return;
        }
        w.attempts++;
        w.lastRequestId = result.requestId();
        counters.invoked();
        // The next batching window begins when this invocation completes (spec §2).
        lane.batchingWindowStart = now();
        parts.listener().invoked(new InvocationListener.Invocation(shardId, inFlight.startedAt(), event, result, outcome));

        if (outcome instanceof Outcome.Succeeded s) {
            counters.succeeded();
            lane.work.poll();
            succeeded(w, w.records, s.state());
        } else if (outcome instanceof Outcome.PartiallyFailed p) {
            counters.failed();
            BigInteger from = new BigInteger(p.fromSequenceNumber());
            List<StreamRecord> done = new ArrayList<>();
            List<StreamRecord> rest = new ArrayList<>();
            for (StreamRecord r : w.records) {
                (r.sequence().compareTo(from) < 0 ? done : rest).add(r);
            }
            LOG.info(() -> shardId + " batch partly failed from " + from + ": " + done.size() + " records done, " + rest.size() + " to retry");
            window.keep(p.state());
            checkpoints.handled(done);
            if (config.bisectBatchOnFunctionError() && !done.isEmpty()) {
                splitAt(w, rest);
                return;
            }
            w.records = rest;
            // A partial failure is an attempt; the retry covers only the remaining records (spec §5.5).
            retryOrDiscard(w, Optional.empty());
        } else {
            Outcome.Failed f = (Outcome.Failed) outcome;
            counters.failed();
            LOG.info(() -> shardId + " invocation failed (" + f.reason() + "), attempt " + w.attempts + " of " + w.kind + " batch of " + w.records.size());
            if (config.bisectBatchOnFunctionError() && w.records.size() > 1) {
                bisect(w);
            } else {
                retryOrDiscard(w, Optional.ofNullable(f.functionError()));
            }
        }
    }

    /**
     * Lambda retries a throttled invocation "until the records expire or exceed the maximum age" (spec §5.2): it did
     * not reach the function, so it consumes no retry attempt; the wait grows as the retries' backoff does.
     */
    private void throttled(Work w) {
        w.throttles++;
        w.notBefore = now().plus(backoff(w.throttles));
        LOG.info(() -> shardId + " invocation throttled (the function's concurrency limit), " + w.throttles
                + " time(s) for this batch; retrying at " + w.notBefore + " without counting an attempt");
    }

    /** Splits the batch in two ({@code ceil(n/2)} first), processed in order, each with its own retry budget; bisecting costs no retry (spec §5.4). */
    private void bisect(Work w) {
        lane.work.poll();
        int half = (w.records.size() + 1) / 2;
        Instant now = now();
        Work first = new Work(Work.Kind.DATA, List.copyOf(w.records.subList(0, half)), now);
        Work second = new Work(w.kind, List.copyOf(w.records.subList(half, w.records.size())), now);
        lane.work.addFirst(second);
        lane.work.addFirst(first);
        LOG.info(() -> shardId + " bisecting a batch of " + w.records.size() + " into " + first.records.size() + " + " + second.records.size());
    }

    /**
     * A partial failure with BisectBatchOnFunctionError on: "When a partial batch success response is received and both
     * BisectBatchOnFunctionError and ReportBatchItemFailures are turned on, the batch is bisected at the returned
     * sequence number and Lambda retries only the remaining records" (AWS Lambda Developer Guide, "Configuring partial
     * batch response with Kinesis Data Streams and Lambda"), and "splitting batches doesn't consume the retry quota"
     * (spec §5.4): the remaining records become a batch of their own with a fresh retry budget, as a bisected half does.
     * A partial failure at the batch's first record splits nothing off; the caller counts it as an attempt.
     */
    private void splitAt(Work w, List<StreamRecord> rest) {
        lane.work.poll();
        lane.work.addFirst(new Work(w.kind, List.copyOf(rest), now()));
        LOG.info(() -> shardId + " bisecting at the returned sequence number: " + rest.size() + " records to retry with their own retry budget");
    }

    private void retryOrDiscard(Work w, Optional<String> functionError) {
        if (w.records.isEmpty() && w.kind == Work.Kind.DATA) {
            lane.work.poll();
            return;
        }
        if (!config.retriesForever() && w.attempts > config.maximumRetryAttempts()) {
            lane.work.poll();
            discardWork(w, FailureRecords.RETRY_ATTEMPTS_EXHAUSTED, Optional.of(functionError), w.lastRequestId);
            return;
        }
        w.notBefore = now().plus(backoff(w.attempts));
    }

    /** Exponential backoff: initial, doubling per attempt, capped (spec §9; AWS's shape is not documented). */
    private Duration backoff(int attempts) {
        Duration d = config.retryBackoffInitial();
        for (int i = 1; i < attempts && d.compareTo(config.retryBackoffMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(config.retryBackoffMax()) > 0 ? config.retryBackoffMax() : d;
    }

    /** Before a retry, records past MaximumRecordAge leave the batch for the destination (spec §5.3). */
    private boolean expireBeforeRetry(Work w, Instant now) {
        if (!config.discardsByAge() || (w.attempts == 0 && w.throttles == 0)) {
            return false;
        }
        if (w.records.isEmpty()) {
            // a final or early-termination invoke: it stands for the window's records since the last checkpoint
            if (checkpoints.windowProgress().lastHandled().filter(r -> isExpired(r, now)).isPresent()) {
                lane.work.poll();
                discardWork(w, FailureRecords.RECORD_AGE_EXCEEDED, Optional.empty(), parts.requestIds().get());
                return true;
            }
            return false;
        }
        List<StreamRecord> expired = new ArrayList<>();
        for (StreamRecord r : w.records) {
            if (!isExpired(r, now)) {
                break;
            }
            expired.add(r);
        }
        if (expired.isEmpty()) {
            return false;
        }
        discard(expired.get(0), expired.get(expired.size() - 1), expired.size(), FailureRecords.RECORD_AGE_EXCEEDED,
                w.approximateInvokeCount(), Optional.empty(), parts.requestIds().get());
        checkpoints.reported(expired);
        w.records = List.copyOf(w.records.subList(expired.size(), w.records.size()));
        if (w.records.isEmpty()) {
            lane.work.poll();
            if (w.kind == Work.Kind.FINAL) {
                lane.work.addFirst(new Work(Work.Kind.FINAL, List.of(), now));
            }
            return true;
        }
        return false;
    }

    private void discardWork(Work w, String condition, Optional<Optional<String>> functionError, String requestId) {
        if (w.kind == Work.Kind.DATA) {
            if (!w.records.isEmpty()) {
                discard(w.records.get(0), w.records.get(w.records.size() - 1), w.records.size(), condition, w.approximateInvokeCount(),
                        functionError, requestId);
                checkpoints.reported(w.records);
            }
            return;
        }
        // A final (or early-termination) invoke given up: the window's aggregate is lost, so the destination must name
        // the window's records since its last checkpoint (a last chunk carried by the final invoke among them), except
        // those it named already when their batch was given up: each record is reported once.
        WindowProgress progress = checkpoints.windowProgress();
        progress.handled(w.records);
        for (WindowProgress.Run run : progress.unreported()) {
            discard(run.first(), run.last(), run.count(), condition, w.approximateInvokeCount(), functionError, requestId);
        }
        if (w.kind == Work.Kind.FINAL) {
            window.close(false);
        } else if (w.kind == Work.Kind.EARLY_TERMINATION) {
            window.endedEarly();
        }
    }

    private void discard(StreamRecord first, StreamRecord last, int count, String condition, int invokeCount,
                         Optional<Optional<String>> functionError, String requestId) {
        counters.discarded(count);
        ObjectNode record = FailureRecords.of(requestId, config.functionArn(), condition, invokeCount, functionError,
                now(), parts.source().streamArn(), first, last, count);
        LOG.warning(() -> shardId + " discarding " + count + " records " + first.sequenceNumber() + ".." + last.sequenceNumber()
                + " (" + condition + ") to " + parts.destination().describe());
        try {
            parts.destination().deliver(record);
        } catch (RuntimeException e) {
            // AWS counts this as DestinationDeliveryFailures and drops the records; so do we, loudly.
            LOG.log(Level.SEVERE, shardId + " could not deliver a failure record to " + parts.destination().describe(), e);
        }
    }

    // ---------------------------------------------------------------- success

    private void succeeded(Work w, List<StreamRecord> records, Optional<JsonNode> state) {
        switch (w.kind) {
            case DATA -> {
                window.keep(state);
                checkpoints.handled(records);
                if (window.stateTooLarge()) {
                    // End the window early: hand the oversized state over in a final invoke, then continue the same window with {} (spec §4, §9).
                    LOG.info(() -> shardId + " state exceeds " + config.maxStateBytes() + " bytes: terminating window "
                            + window.open().orElseThrow() + " early");
                    lane.work.addFirst(new Work(Work.Kind.EARLY_TERMINATION, List.of(), now()));
                }
            }
            case FINAL -> {
                checkpoints.handled(records);
                window.close(true);
            }
            case EARLY_TERMINATION -> window.endedEarly();
        }
    }

    private Instant now() {
        return parts.clock().instant();
    }

    // ---------------------------------------------------------------- status

    private ShardStatus snapshot() {
        boolean retrying = false;
        for (Lane l : lanes) {
            retrying |= !l.work.isEmpty() && l.work.peek().retrying();
        }
        String phase = finished ? "ENDED" : !started ? "STARTING" : retrying ? "RETRYING" : "PROCESSING";
        return counters.snapshot(shardId, phase, window.open(), checkpoints.lastSaved());
    }

    /** Releases the reader. */
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
