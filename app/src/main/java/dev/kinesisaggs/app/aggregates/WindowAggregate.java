package dev.kinesisaggs.app.aggregates;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of the aggregates table: the sums of one vendor's trips in one tumbling window.
 * Distance and duration are optional because the lab's table holds only passengers and trips.
 */
public record WindowAggregate(
        long vendorId,
        Instant windowStart,
        Instant windowEnd,
        long passengers,
        long trips,
        Optional<BigDecimal> distance,
        Optional<BigDecimal> duration) {

    /** Chronological, then by vendor: the order in which all outputs list windows. */
    public static final Comparator<WindowAggregate> BY_WINDOW_THEN_VENDOR =
            Comparator.comparing(WindowAggregate::windowStart).thenComparingLong(WindowAggregate::vendorId);

    public WindowAggregate {
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(distance, "distance");
        Objects.requireNonNull(duration, "duration");
    }

    /** An aggregate with passengers and trips only, as the lab writes it. */
    public static WindowAggregate of(long vendorId, Instant windowStart, Instant windowEnd, long passengers, long trips) {
        return new WindowAggregate(vendorId, windowStart, windowEnd, passengers, trips, Optional.empty(), Optional.empty());
    }
}
