package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Outcome;
import dev.kinesisaggs.esm.invocation.ResponseInterpreter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invoking the function for a lane's first work, and taking the result in. With one lane the shard's thread invokes;
 * with several, the lanes' invocations run on the mapping's {@link InvocationExecutor} and each return wakes the
 * shard's thread, which takes the result in, so that the processor's state has one writer.
 */
final class LaneInvocations {

    private static final Logger LOG = LoggerFactory.getLogger(LaneInvocations.class);

    private final MappingParts parts;
    private final String shardId;
    private final boolean concurrent;
    private final EventJson json;
    private final ResponseInterpreter interpreter;
    private final ShardWindow window;
    private final BatchOutcomes outcomes;
    private final ShardCounters counters;
    /** Set when the mapping stops at once: what returns after it was cut, and is neither counted nor checkpointed. */
    private volatile boolean abandoned;
    /** Wakes this shard's thread when one of its lanes' invocations returns, so that it takes the result in. */
    private Runnable invocationReturned = () -> { };

    LaneInvocations(MappingParts parts, String shardId, boolean concurrent, ShardWindow window, BatchOutcomes outcomes,
                    ShardCounters counters) {
        this.parts = parts;
        this.shardId = shardId;
        this.concurrent = concurrent;
        this.json = parts.eventJson();
        this.interpreter = parts.interpreter();
        this.window = window;
        this.outcomes = outcomes;
        this.counters = counters;
    }

    void onReturned(Runnable r) {
        invocationReturned = r;
    }

    /** From now on, results are dropped and nothing more is invoked (the mapping is stopping at once). */
    void abandonInFlight() {
        abandoned = true;
    }

    /** Invokes the function with {@code w}, the lane's first work, unless its records expired before this retry. */
    void start(Lane lane, Work w) {
        if (abandoned) {
            return;
        }
        Instant now = now();
        if (outcomes.expireBeforeRetry(lane, w, now)) {
            return;
        }
        String event = window.event(json, w);
        Set<String> sequenceNumbers = new HashSet<>();
        w.records.forEach(r -> sequenceNumbers.add(r.sequenceNumber()));
        counters.sending(w.records, now);
        CompletableFuture<InvocationResult> result;
        if (!concurrent) {
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
            takeIn(lane);
        }
    }

    /** Takes in the result of the lane's invocation, which has returned: retries, bisects, discards or moves on. */
    void takeIn(Lane lane) {
        Lane.InFlight inFlight = lane.inFlight;
        lane.inFlight = null;
        if (abandoned) {
            // cut by the stop (an environment ended, a handler interrupted): not the function's failure, and its
            // records, not checkpointed, are delivered again to the next mapping
            return;
        }
        Work w = inFlight.work();
        InvocationResult result;
        try {
            result = inFlight.result().join();
        } catch (RuntimeException e) {
            // the invoker reports every failure of the function as a result; this is the pool itself failing
            result = new InvocationResult.Threw(parts.requestIds().get(), Duration.ZERO, e.getClass().getName(), String.valueOf(e.getMessage()));
        }
        Outcome outcome = interpreter.interpret(result, inFlight.sequenceNumbers());
        if (outcome instanceof Outcome.Throttled) {
            outcomes.throttled(w);
            return;
        }
        w.attempts++;
        w.lastRequestId = result.requestId();
        counters.invoked();
        // The next batching window begins when this invocation completes (spec §2).
        lane.batchingWindowStart = now();
        parts.listener().invoked(new InvocationListener.Invocation(shardId, inFlight.startedAt(), inFlight.event(), result, outcome));
        outcomes.taken(lane, w, outcome);
    }

    /** Waits up to {@code maxWait} for the lanes' invocations in flight and takes in those that return; the others are abandoned. */
    void finish(Lane[] lanes, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        for (Lane l : lanes) {
            if (l.inFlight == null) {
                continue;
            }
            try {
                l.inFlight.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.atWarn().log(() -> shardId + ": an invocation still running at close is abandoned; its records will be read again");
                continue;
            } catch (ExecutionException e) {
                // taken in below as a failed invocation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            takeIn(l);
        }
    }

    private Instant now() {
        return parts.clock().instant();
    }
}
