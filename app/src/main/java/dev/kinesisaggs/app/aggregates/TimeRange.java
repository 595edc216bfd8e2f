package dev.kinesisaggs.app.aggregates;

import dev.kinesisaggs.function.tables.AggregateItems;
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

    /*
     * The first and last instants a window of the table can start at: the sort key is the start's ISO-8601 string, and
     * only four-digit years sort as they come in time ("+10000-..." and "-0001-..." sort before "0000-...").
     */
    public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

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
     * exactly. The cost is at most the windows of one extra second on each side. A bound beyond
     * the four-digit years (a range at the end of the calendar, or the margins read around it)
     * is held within them, where the strings still sort as the instants do.
     */

    /** A string no greater than the sort key of any window in the range. */
    Optional<String> lowerKeyBound() {
        return from.map(f -> keyBound(f.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1)));
    }

    /** A string no smaller than the sort key of any window in the range. */
    Optional<String> upperKeyBound() {
        return to.map(t -> keyBound(t.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)));
    }

    private static String keyBound(Instant bound) {
        if (bound.isBefore(EARLIEST)) {
            return EARLIEST.toString();
        }
        if (bound.isAfter(LATEST)) {
            // above the keys of every part of the last second's windows
            return LATEST.truncatedTo(ChronoUnit.SECONDS) + AggregateItems.AFTER_PARTS;
        }
        return bound.toString();
    }

    /** For messages: "from X to Y", "since X", "until Y" or "all time". */
    public String describe() {
        if (from.isPresent() && to.isPresent()) {
            return "from " + from.get() + " to " + to.get();
        }
        return from.map(f -> "since " + f).orElseGet(() -> to.map(t -> "until " + t).orElse("all time"));
    }
}
