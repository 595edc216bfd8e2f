package dev.kinesisaggs.core.retry;

import java.time.Duration;

/** Waits; injected so that tests of pacing and retries advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    /** Waits {@code duration}; zero or negative returns at once. */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(long, int)}, to the nanosecond the platform allows. */
    static Sleeper system() {
        return duration -> {
            if (duration.isNegative() || duration.isZero()) {
                return;
            }
            long nanos = duration.toNanos();
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        };
    }
}
