package dev.kinesisaggs.esm.invocation;

import java.time.Duration;
import java.time.Instant;

/**
 * A tumbling window {@code [start, end)}, aligned on the epoch: {@code start = floor(t / W) * W}.
 * AWS does not document the alignment; its own example fits it (spec §4).
 */
public record TimeWindow(Instant start, Instant end) {

    public static TimeWindow containing(Instant arrival, int windowSeconds) {
        long w = windowSeconds;
        long startSec = Math.floorDiv(arrival.getEpochSecond(), w) * w;
        Instant start = Instant.ofEpochSecond(startSec);
        return new TimeWindow(start, start.plus(Duration.ofSeconds(w)));
    }

    public boolean isBefore(TimeWindow other) {
        return start.isBefore(other.start);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
