package dev.kinesisaggs.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a {@link StopSignal} on a daemon thread, so that a command can also stop on its own
 * (a duration, a source that ends) while the signal stays the only way in from Ctrl-C.
 */
public final class StopWaiter {
    private final CountDownLatch signalled = new CountDownLatch(1);

    private StopWaiter(StopSignal signal, Runnable onSignal) {
        Thread waiter = new Thread(() -> {
            try {
                signal.await();
                signalled.countDown();
                onSignal.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kinesis-aggs-stop-waiter");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Starts waiting; {@code onSignal} runs on the waiting thread when the signal comes. */
    public static StopWaiter start(StopSignal signal, Runnable onSignal) {
        return new StopWaiter(signal, onSignal);
    }

    /** Blocks until the signal came or {@code limit} passed (no limit when null); true when signalled. */
    public boolean await(Duration limit) throws InterruptedException {
        if (limit == null) {
            signalled.await();
            return true;
        }
        return signalled.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean signalled() {
        return signalled.getCount() == 0;
    }
}
