package dev.kinesisaggs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ctrl-C during a step that waits long (a mapping's start waiting for its lease) stops it at once. */
class StopWaiterTest {

    /** A step that waits as the lease does: a sleep that gives up with an unchecked exception when interrupted. */
    private static void waitLong() {
        try {
            Thread.sleep(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }

    @Test
    void theSignalInterruptsAWaitingStepAndNothingAfterIt() throws InterruptedException {
        CountDownLatch ctrlC = new CountDownLatch(1);
        StopWaiter stop = StopWaiter.start(ctrlC::await, () -> { });
        CountDownLatch waiting = new CountDownLatch(1);
        new Thread(() -> {
            try {
                waiting.await();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ctrlC.countDown();
        }).start();

        long start = System.nanoTime();
        boolean ran = stop.runInterruptibly(() -> {
            waiting.countDown();
            waitLong();
        });

        assertThat(ran).as("the step was cut by the signal").isFalse();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds until it was cut").isLessThan(30);
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is not left for what follows").isFalse();
        assertThat(stop.runInterruptibly(() -> { throw new AssertionError("run after the signal"); })).isFalse();
    }

    @Test
    void withoutTheSignalTheStepRunsAndItsFailureIsItsOwn() {
        StopWaiter stop = StopWaiter.start(new CountDownLatch(1)::await, () -> { });

        assertThat(stop.runInterruptibly(() -> { })).isTrue();
        assertThatThrownBy(() -> stop.runInterruptibly(() -> { throw new IllegalStateException("no stream"); }))
                .hasMessage("no stream");
    }

    /** A wait under a millisecond waits it out: cut to whole milliseconds it returned at once, and a run loop span on it. */
    @Test
    void aWaitOfLessThanAMillisecondIsWaitedOut() throws InterruptedException {
        StopWaiter stop = StopWaiter.start(() -> new CountDownLatch(1).await(), () -> { });
        long before = System.nanoTime();
        assertThat(stop.await(java.time.Duration.ofNanos(900_000))).isFalse();
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(900_000);
    }
}
