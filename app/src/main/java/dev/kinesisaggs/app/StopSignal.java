package dev.kinesisaggs.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a long-running command waits for before it stops cleanly: Ctrl-C in the terminal, or a
 * test saying so.
 */
public interface StopSignal {

    /** How long the JVM's shutdown on Ctrl-C waits for the command to clean up ({@link #onShutdown()}) before it halts. */
    Duration SHUTDOWN_WAIT = Duration.ofSeconds(20);

    /** Blocks until it is time to stop. */
    void await() throws InterruptedException;

    /** Called once the command has cleaned up, so that a waiting JVM shutdown may go on. */
    default void stopped() {}

    /**
     * Stops on Ctrl-C (or SIGTERM). The JVM runs shutdown hooks and then halts; ours holds the
     * shutdown until the command has cleaned up and said what it did.
     */
    static StopSignal onShutdown() {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        return new StopSignal() {
            @Override
            public void await() throws InterruptedException {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    stop.countDown();
                    try {
                        stopped.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "kinesis-aggs-stop"));
                stop.await();
            }

            @Override
            public void stopped() {
                stopped.countDown();
            }
        };
    }
}
