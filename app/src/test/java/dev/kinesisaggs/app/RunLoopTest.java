package dev.kinesisaggs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RunLoopTest {
    private static final Duration TICK = Duration.ofMillis(2);
    /** A Ctrl-C that never comes. */
    private static final StopSignal NEVER = () -> new CountDownLatch(1).await();

    @Test
    void itWorksEachTickUntilTheDurationAndNotAfter() throws InterruptedException {
        AtomicLong nanos = new AtomicLong();
        AtomicInteger ticks = new AtomicInteger();
        // each tick's work takes 30 ms of the (fake) monotonic clock; the run has 100 ms
        RunLoop loop = new RunLoop(StopWaiter.start(NEVER, () -> { }), nanos::get);

        RunLoop.End end = loop.run(TICK, Duration.ofMillis(100), () -> {
            nanos.addAndGet(Duration.ofMillis(30).toNanos());
            ticks.incrementAndGet();
            return true;
        });

        assertThat(end).isEqualTo(RunLoop.End.DURATION);
        assertThat(ticks).as("work at 0, 30, 60 and 90 ms; none at 120").hasValue(4);
    }

    @Test
    void theLastTickEndsOnTheDurationWithoutWorkingAgain() throws InterruptedException {
        AtomicInteger ticks = new AtomicInteger();
        RunLoop loop = new RunLoop(StopWaiter.start(NEVER, () -> { }));

        // on the real clock: work after 100 and 200 ms, then a last wait of 50.9 ms that ends the run (a wait of whole
        // milliseconds woke 0.9 ms early, and the work ran again and again until the deadline: a burst of status lines)
        RunLoop.End end = loop.run(Duration.ofMillis(100), Duration.ofNanos(250_900_000), () -> {
            ticks.incrementAndGet();
            return true;
        });

        assertThat(end).isEqualTo(RunLoop.End.DURATION);
        assertThat(ticks.get()).as("work after each full tick only (fewer when the machine is slow)").isLessThanOrEqualTo(2);
    }

    @Test
    void workThatSaysStopEndsTheRun() throws InterruptedException {
        AtomicInteger ticks = new AtomicInteger();
        RunLoop loop = new RunLoop(StopWaiter.start(NEVER, () -> { }));

        assertThat(loop.run(TICK, null, () -> ticks.incrementAndGet() < 3)).isEqualTo(RunLoop.End.WORK);
        assertThat(ticks).hasValue(3);
        assertThat(loop.signalled()).isFalse();
    }

    @Test
    void ctrlCEndsTheRunBeforeAnyMoreWork() throws InterruptedException {
        CountDownLatch ctrlC = new CountDownLatch(1);
        AtomicInteger ticks = new AtomicInteger();
        StopWaiter stop = StopWaiter.start(ctrlC::await, () -> { });
        RunLoop loop = new RunLoop(stop);

        RunLoop.End end = loop.run(TICK, null, () -> {
            if (ticks.incrementAndGet() == 2) {
                ctrlC.countDown();
                while (!stop.signalled()) { // the waiter's thread has seen it
                    Thread.onSpinWait();
                }
            }
            return true;
        });

        assertThat(end).isEqualTo(RunLoop.End.SIGNAL);
        assertThat(ticks).as("the signal is seen at the next wait").hasValue(2);
        assertThat(loop.signalled()).isTrue();
    }
}
