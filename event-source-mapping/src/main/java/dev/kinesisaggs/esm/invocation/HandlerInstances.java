package dev.kinesisaggs.esm.invocation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The in-process counterpart of execution environments: Lambda runs one invocation at a time in an environment, so a
 * handler instance is never in two invocations at once (it may keep per-invocation state in its fields). With a
 * factory, an invocation takes the idle instance its shard (or lane) used last, else any idle one, else a new one, as
 * {@code runtime.ExecutionEnvironments} does with child JVMs; an instance still running after its timeout stays busy
 * until it returns. With one given instance there is one environment: invocations take turns.
 */
public final class HandlerInstances {

    private final Supplier<LambdaFunction> factory;
    private final Deque<LambdaFunction> idle = new ArrayDeque<>();
    private final Map<String, LambdaFunction> lastOfLane = new HashMap<>();

    private HandlerInstances(Supplier<LambdaFunction> factory, LambdaFunction only) {
        this.factory = factory;
        if (only != null) {
            idle.add(only);
        }
    }

    /** One instance, one environment: its invocations take turns. */
    public static HandlerInstances single(LambdaFunction function) {
        return new HandlerInstances(null, function);
    }

    /** A new instance for each environment the mapping needs, as Lambda creates the handler in each environment. */
    public static HandlerInstances perEnvironment(Supplier<LambdaFunction> factory) {
        return new HandlerInstances(factory, null);
    }

    /** An instance held for one invocation; {@link #release()} when the call has returned (not when it timed out). */
    public record Lease(LambdaFunction instance, Runnable onRelease) {
        public void release() {
            onRelease.run();
        }
    }

    /**
     * An instance for the given shard or lane, waiting while the one instance is busy. The caller starts the
     * invocation's clock after this returns: on Lambda, waiting for an environment is not part of a function's
     * duration, so a wait must not eat into the function timeout.
     */
    public Lease lease(String lane) throws InterruptedException {
        LambdaFunction instance = acquire(lane);
        return new Lease(instance, () -> release(lane, instance));
    }

    private synchronized LambdaFunction acquire(String lane) throws InterruptedException {
        while (true) {
            LambdaFunction preferred = lastOfLane.get(lane);
            if (preferred != null && idle.remove(preferred)) {
                return preferred;
            }
            if (!idle.isEmpty()) {
                return idle.poll();
            }
            if (factory != null) {
                return factory.get();
            }
            wait(); // the one instance is busy: take turns
        }
    }

    private synchronized void release(String lane, LambdaFunction instance) {
        lastOfLane.put(lane, instance);
        idle.add(instance);
        notifyAll();
    }
}
