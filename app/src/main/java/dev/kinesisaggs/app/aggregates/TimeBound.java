package dev.kinesisaggs.app.aggregates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a bound of a time range as a user types it: an ISO-8601 instant
 * ({@code 2016-01-01T00:00:30Z}, or with an offset), a date ({@code 2016-01-01}, midnight UTC),
 * {@code now}, or a time relative to now ({@code -15m}, {@code -30s}, {@code -2h}, {@code -1d}).
 */
public final class TimeBound {

    private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})([smhd])");

    private TimeBound() {
    }

    /**
     * @throws IllegalArgumentException with a message for the user when the text is none of the above, or a time no
     *                                  window of the table can start at ({@link TimeRange#EARLIEST}, {@link TimeRange#LATEST})
     */
    public static Instant parse(String text, Clock clock) {
        Instant time = read(text.strip(), text, clock);
        if (time.isBefore(TimeRange.EARLIEST) || time.isAfter(TimeRange.LATEST)) {
            throw new IllegalArgumentException("The time '" + text + "' is outside the years 0000 to 9999, which are all"
                    + " that the aggregates table's windows can start in: give a time within them, or leave the bound out.");
        }
        return time;
    }

    private static Instant read(String t, String text, Clock clock) {
        if (t.equalsIgnoreCase("now")) {
            return clock.instant();
        }
        Matcher relative = RELATIVE.matcher(t);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration ago = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(ago);
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            throw new IllegalArgumentException("Cannot read the time '" + text
                    + "': give an ISO-8601 instant such as 2016-01-01T00:00:30Z, a date such as 2016-01-01,"
                    + " 'now', or a time ago such as -15m, -30s, -2h or -1d.");
        }
    }
}
