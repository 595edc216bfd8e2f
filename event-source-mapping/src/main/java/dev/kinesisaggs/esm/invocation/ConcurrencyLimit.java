package dev.kinesisaggs.esm.invocation;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A function's concurrency limit, as its reserved concurrency sets it on Lambda: at most {@code limit} invocations
 * run at once, counted over everything that invokes the function through it (every shard and lane of the mapping,
 * and whatever a test says runs elsewhere with {@link #occupy}); one more is throttled, without reaching the
 * function, as Lambda answers {@code TooManyRequestsException}. Thread-safe.
 */
public final class ConcurrencyLimit {

    private final int limit;
    private final Semaphore free;
    private final AtomicLong throttles = new AtomicLong();

    public ConcurrencyLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("A concurrency limit must be zero or more, not " + limit + ".");
        }
        this.limit = limit;
        this.free = new Semaphore(limit);
    }

    public int limit() {
        return limit;
    }

    /** An invoker that runs {@code invoker} within this limit; a refused invocation is {@link InvocationResult.Throttled}. */
    public Invoker guard(Invoker invoker, Supplier<String> requestIds) {
        return (lane, eventJson) -> {
            if (!free.tryAcquire()) {
                throttles.incrementAndGet();
                return new InvocationResult.Throttled(requestIds.get(), Duration.ZERO);
            }
            try {
                return invoker.invoke(lane, eventJson);
            } finally {
                free.release();
            }
        };
    }

    /** Takes {@code n} units, as invocations of the function from elsewhere would; refused when fewer are free. */
    public void occupy(int n) {
        if (!free.tryAcquire(n)) {
            throw new IllegalStateException("Only " + free.availablePermits() + " of " + limit + " units of concurrency are free, not " + n + ".");
        }
    }

    /** Gives back {@code n} units taken with {@link #occupy}. */
    public void release(int n) {
        if (free.availablePermits() + n > limit) {
            throw new IllegalStateException("Cannot release " + n + " units of concurrency: only " + (limit - free.availablePermits()) + " are taken.");
        }
        free.release(n);
    }

    /** How many invocations were throttled so far (Lambda's {@code Throttles} metric). */
    public long throttles() {
        return throttles.get();
    }
}
