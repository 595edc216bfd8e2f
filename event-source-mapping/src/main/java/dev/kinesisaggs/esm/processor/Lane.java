package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * With ParallelizationFactor P (and no windows), records are spread over P lanes by partition
 * key; each lane has its own batch in flight and its own retries, so a failing key blocks only
 * its lane, and the shard is checkpointed at the end of the longest run of handled records.
 * The lanes' invocations run on the mapping's {@link InvocationExecutor} (concurrently in the
 * runner, inline in the test driver); everything else, including taking a result in, happens
 * on the shard's thread, so the processor's state has one writer. Without lanes a shard is one lane.
 */
final class Lane {

    /** A read record and the size of its JSON in the event, measured once. */
    record Pending(StreamRecord record, int bytes) {}

    /** An invocation started on a lane and not yet taken in. */
    record InFlight(Work work, Instant startedAt, String event, Set<String> sequenceNumbers,
                    CompletableFuture<InvocationResult> result) {}

    /** Who invokes, for the invoker: the shard, or the shard and lane number ({@code shardId#2}). */
    final String name;
    /** Records read and not yet cut into a batch. */
    final Deque<Pending> pending = new ArrayDeque<>();
    /** The batch being tried first; bisected halves and final invokes queue behind or before it. */
    final Deque<Work> work = new ArrayDeque<>();
    /** Where the lane's batching window began: when it started, then when its last invocation completed (spec §2). */
    Instant batchingWindowStart;
    /** The invocation of {@code work.peek()} while it runs; the lane does nothing else meanwhile. */
    InFlight inFlight;

    Lane(String name) {
        this.name = name;
    }

    /** Nothing read and not yet handled. */
    boolean idle() {
        return pending.isEmpty() && work.isEmpty();
    }
}
