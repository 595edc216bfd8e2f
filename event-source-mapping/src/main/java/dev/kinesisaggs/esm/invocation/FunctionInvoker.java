package dev.kinesisaggs.esm.invocation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Invokes the function once with a {@link LocalContext} whose deadline is now + function timeout.
 * A run longer than the timeout, measured on the injected clock, is a failed invocation. When a
 * watchdog executor is given (the real runner), the wait is also bounded in real time, so a
 * handler stuck forever does not block the shard; the stuck thread is interrupted and abandoned,
 * as Lambda abandons a timed-out sandbox. Without one (the test driver), the handler runs on the
 * caller's thread and "takes time" by advancing the test clock.
 */
public final class FunctionInvoker implements Invoker {

    private final HandlerInstances instances;
    private final Clock clock;
    private final Duration timeout;
    private final String functionArn;
    private final Supplier<String> requestIds;
    private final Optional<ExecutorService> watchdog;

    public FunctionInvoker(LambdaFunction function, Clock clock, Duration timeout, String functionArn,
                           Supplier<String> requestIds, Optional<ExecutorService> watchdog) {
        this(HandlerInstances.single(function), clock, timeout, functionArn, requestIds, watchdog);
    }

    /** Invokes the handler instances one invocation at a time per instance ({@link HandlerInstances}). */
    public FunctionInvoker(HandlerInstances instances, Clock clock, Duration timeout, String functionArn,
                           Supplier<String> requestIds, Optional<ExecutorService> watchdog) {
        this.instances = instances;
        this.clock = clock;
        this.timeout = timeout;
        this.functionArn = functionArn;
        this.requestIds = requestIds;
        this.watchdog = watchdog;
    }

    /** A daemon executor for {@link #FunctionInvoker}'s watchdog, one thread per concurrent invocation. */
    public static ExecutorService newWatchdogExecutor() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "esm-function");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public InvocationResult invoke(String lane, String eventJson) {
        String requestId = requestIds.get();
        HandlerInstances.Lease lease;
        try {
            lease = instances.lease(lane); // before the clock starts: waiting for an instance is not the function's time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new InvocationResult.Threw(requestId, Duration.ZERO, "InterruptedException", "interrupted");
        }
        Instant start = clock.instant();
        LocalContext context = new LocalContext(requestId, functionArn, start.plus(timeout), clock);
        boolean releasedByCall = false;
        try {
            String response;
            if (watchdog.isPresent()) {
                // the instance stays busy until the call returns, even after a timeout, as a stuck environment does
                Future<String> f = watchdog.get().submit(() -> {
                    try {
                        return lease.instance().invoke(eventJson, context);
                    } finally {
                        lease.release();
                    }
                });
                releasedByCall = true;
                try {
                    response = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    return new InvocationResult.TimedOut(requestId, Duration.between(start, clock.instant()));
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                }
            } else {
                response = lease.instance().invoke(eventJson, context);
            }
            Duration took = Duration.between(start, clock.instant());
            if (took.compareTo(timeout) > 0) {
                return new InvocationResult.TimedOut(requestId, took);
            }
            return new InvocationResult.Returned(requestId, took, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new InvocationResult.Threw(requestId, Duration.between(start, clock.instant()), "InterruptedException", "interrupted");
        } catch (Exception | Error e) {
            Duration took = Duration.between(start, clock.instant());
            if (took.compareTo(timeout) > 0) {
                return new InvocationResult.TimedOut(requestId, took);
            }
            return new InvocationResult.Threw(requestId, took, e.getClass().getName(), String.valueOf(e.getMessage()));
        } finally {
            if (!releasedByCall) {
                lease.release();
            }
        }
    }
}
