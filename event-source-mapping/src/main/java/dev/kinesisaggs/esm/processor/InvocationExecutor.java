package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.invocation.InvocationResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Where the invocations of ParallelizationFactor lanes run. In the runner, on a pool, so that the
 * lanes of a shard have their batches in flight at the same time, as on AWS; in the test driver,
 * inline, so that simulated time stays deterministic. A shard with one lane always invokes on its
 * own thread: there is nothing to overlap with.
 */
@FunctionalInterface
public interface InvocationExecutor {

    /** Starts the invocation; the processor takes the result in on a later step, once the future is done. */
    CompletableFuture<InvocationResult> submit(Supplier<InvocationResult> invocation);

    /** Runs the invocation on the caller's thread: the future is done when {@code submit} returns. */
    static InvocationExecutor inline() {
        return invocation -> CompletableFuture.completedFuture(invocation.get());
    }

    /**
     * Runs each invocation on {@code executor}. The processor registers on the future to wake its
     * shard's thread when the invocation returns ({@link ShardProcessor#onInvocationReturned}).
     */
    static InvocationExecutor on(Executor executor) {
        return invocation -> CompletableFuture.supplyAsync(invocation, executor);
    }
}
