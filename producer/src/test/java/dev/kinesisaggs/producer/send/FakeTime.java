package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.retry.Sleeper;
import java.time.Duration;

/** A ticker that only moves when someone sleeps on it: tests of pacing run in no time and always alike. */
public final class FakeTime implements Ticker, Sleeper {

    private long now = 1_000_000_000L;
    private long slept;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 0) {
            throw new IllegalArgumentException("negative sleep " + nanos);
        }
        now += nanos;
        slept += nanos;
    }

    public void advanceNanos(long nanos) {
        now += nanos;
    }

    public long totalSleptNanos() {
        return slept;
    }
}
