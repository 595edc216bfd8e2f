package dev.kinesisaggs.app.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A supplier that asks its source at most once per interval and answers from the last result in
 * between: several open pages polling every 2 s then cost one table read per interval.
 */
final class Throttled<T> implements Supplier<T> {

    private final Supplier<T> source;
    private final Duration interval;
    private final Clock clock;
    private T last;
    private Instant lastAt;

    Throttled(Supplier<T> source, Duration interval, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized T get() {
        Instant now = clock.instant();
        if (lastAt == null || !now.isBefore(lastAt.plus(interval))) {
            last = source.get();
            lastAt = now;
        }
        return last;
    }
}
