package dev.kinesisaggs.app.aggregates;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Which windows to read: those whose start is at or after {@code from} and before {@code to}
 * (half-open, like the windows themselves). An absent bound is unbounded.
 */
public record TimeRange(Optional<Instant> from, Optional<Instant> to) {

    public static final TimeRange ALL = new TimeRange(Optional.empty(), Optional.empty());

    public TimeRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("The start of the time range (" + from.get()
                    + ") must be before its end (" + to.get() + ").");
        }
    }

    public static TimeRange since(Instant from) {
        return new TimeRange(Optional.of(from), Optional.empty());
    }

    public boolean contains(Instant windowStart) {
        return from.map(f -> !windowStart.isBefore(f)).orElse(true)
                && to.map(windowStart::isBefore).orElse(true);
    }

    /*
     * The sort key holds ISO-8601 strings, which DynamoDB compares as strings. Whole-second
     * instants ("...00:30Z") sort chronologically, but a bound with a fraction ("...00:30.5Z")
     * would not: '.' sorts before 'Z'. So the key condition uses whole-second bounds one second
     * wider on each side, which can only let more items through, and contains() then filters
     * exactly. The cost is at most the windows of one extra second on each side.
     */

    /** A string no greater than the sort key of any window in the range. */
    Optional<String> lowerKeyBound() {
        return from.map(f -> f.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1).toString());
    }

    /** A string no smaller than the sort key of any window in the range. */
    Optional<String> upperKeyBound() {
        return to.map(t -> t.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString());
    }

    /** For messages: "from X to Y", "since X", "until Y" or "all time". */
    public String describe() {
        if (from.isPresent() && to.isPresent()) {
            return "from " + from.get() + " to " + to.get();
        }
        return from.map(f -> "since " + f).orElseGet(() -> to.map(t -> "until " + t).orElse("all time"));
    }
}
