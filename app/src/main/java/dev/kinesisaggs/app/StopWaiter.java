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
    /** The thread running a step that the signal interrupts ({@link #runInterruptibly}), or null. */
    private Thread interruptible;
    /** Whether the signal interrupted that step. */
    private boolean cut;

    private StopWaiter(StopSignal signal, Runnable onSignal) {
        Thread waiter = new Thread(() -> {
            try {
                signal.await();
                signalled.countDown();
                synchronized (this) {
                    if (interruptible != null) {
                        interruptible.interrupt();
                        cut = true;
                    }
                }
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
        // to the nanosecond: a wait cut to whole milliseconds returned at once under 1 ms, and a run loop's last tick then
        // worked (printed its status line) over and over until its deadline
        return signalled.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    public boolean signalled() {
        return signalled.getCount() == 0;
    }

    /**
     * Runs {@code step} on this thread, interrupted by the signal: for a step that may wait long before the command's
     * run loop looks at the signal (a mapping's start that waits for another machine's instance to let go of it), so
     * that Ctrl-C stops it at once instead of when the wait ends.
     *
     * @return false when the signal came before the step (which then does not run) or cut it (what it threw then is
     *         the interrupt's doing); a failure of its own is thrown
     */
    public boolean runInterruptibly(Runnable step) {
        synchronized (this) {
            if (signalled()) {
                return false;
            }
            interruptible = Thread.currentThread();
        }
        try {
            step.run();
            return true;
        } catch (RuntimeException e) {
            synchronized (this) {
                if (cut) {
                    return false;
                }
            }
            throw e;
        } finally {
            synchronized (this) {
                interruptible = null;
                cut = false;
                Thread.interrupted(); // an interrupt that came as the step ended must not cut what follows
            }
        }
    }
}
