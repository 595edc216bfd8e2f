package dev.kinesisaggs.app;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How a command that runs until it is told to stop spends its time: it wakes every tick to do its periodic work
 * (print a status line, poll a table), and ends at the first of Ctrl-C, its duration, or its work saying so. The
 * duration is measured on a monotonic clock, so that a wall-clock step cannot end a run early or make it hang.
 */
public final class RunLoop {

    /** Why a run ended. */
    public enum End {
        /** Ctrl-C (the command's {@link StopSignal}). */
        SIGNAL,
        /** The duration passed. */
        DURATION,
        /** The periodic work said to stop (a source that failed, a producer that ended). */
        WORK
    }

    /** The work of one tick; false to stop the run. */
    @FunctionalInterface
    public interface Work {
        boolean tick() throws InterruptedException;
    }

    private final StopWaiter stop;
    private final LongSupplier nanoTime;

    public RunLoop(StopWaiter stop) {
        this(stop, System::nanoTime);
    }

    RunLoop(StopWaiter stop, LongSupplier nanoTime) {
        this.stop = stop;
        this.nanoTime = nanoTime;
    }

    /**
     * Runs {@code work} every {@code tick} until Ctrl-C, {@code duration} (none when null) or the work ends it. The
     * tick before the duration's end is shortened to end on time, and no work runs after the end.
     */
    public End run(Duration tick, Duration duration, Work work) throws InterruptedException {
        long deadline = duration == null ? 0 : nanoTime.getAsLong() + duration.toNanos();
        while (true) {
            Duration wait = tick;
            if (duration != null) {
                long left = deadline - nanoTime.getAsLong();
                if (left <= 0) {
                    return End.DURATION;
                }
                wait = left < tick.toNanos() ? Duration.ofNanos(left) : tick;
            }
            if (stop.await(wait)) {
                return End.SIGNAL;
            }
            if (duration != null && deadline - nanoTime.getAsLong() <= 0) {
                return End.DURATION;
            }
            if (!work.tick()) {
                return End.WORK;
            }
        }
    }

    /** Whether Ctrl-C came (also while a tick's work was running). */
    public boolean signalled() {
        return stop.signalled();
    }
}
