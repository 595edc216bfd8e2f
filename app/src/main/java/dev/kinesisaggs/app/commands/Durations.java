package dev.kinesisaggs.app.commands;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option: {@code 30} (seconds), {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1d}, or ISO
 * {@code PT30S}.
 */
public final class Durations implements ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The longest duration any option takes: longer would overflow the clock arithmetic, and means "for ever" anyway. */
    static final Duration LONGEST = Duration.ofDays(3650);

    public static Duration parse(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("-") || text.startsWith("pt-")) {
            throw new TypeConversionException("'" + value + "' is negative: a duration is 0 or more, e.g. 30s, 500ms, 2m or 1h");
        }
        Duration d;
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            d = simple(value, m);
        } else {
            try {
                d = Duration.parse(value.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new TypeConversionException("'" + value + "' is not a duration: write e.g. 30s, 500ms, 2m or 1h");
            }
        }
        if (d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative: a duration is 0 or more, e.g. 30s, 500ms, 2m or 1h");
        }
        if (d.compareTo(LONGEST) > 0) {
            throw new TypeConversionException("'" + value + "' is longer than " + LONGEST.toDays() + " days, the most a duration here may be");
        }
        return d;
    }

    private static Duration simple(String value, Matcher m) {
        String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 12) { // 10^12 ms is 31 years, beyond LONGEST whatever the unit; a long overflows not far beyond
            throw new TypeConversionException("'" + value + "' is longer than " + LONGEST.toDays() + " days, the most a duration here may be");
        }
        long n = Long.parseLong(digits);
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n); // as --from -1d takes it (found by probing: --duration 1d was refused)
            default -> Duration.ofSeconds(n);
        };
    }

    /**
     * How often something is printed ({@code --status-every}, {@code --soak-every}, {@code --progress-every}): longer than
     * 0, which would print without pause.
     */
    public static final class Interval implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = parse(value);
            if (d.isZero()) {
                throw new TypeConversionException("'" + value + "' is no interval: give one longer than 0, e.g. 10s");
            }
            return d;
        }
    }

    /**
     * How long a command runs ({@code --duration}): longer than 0, since without the option it runs until Ctrl-C. One
     * sentence for 0 and for a negative duration alike (found by probing: "0 or more", then "must be positive").
     */
    public static final class RunFor implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            if (!value.strip().startsWith("-") && !parse(value).isZero()) {
                return parse(value);
            }
            throw new TypeConversionException("'" + value + "' is no time to run for: give a duration longer than 0, e.g."
                    + " 100s or 5m, or leave the option out to run until Ctrl-C");
        }
    }

    /** A duration as a whole number of seconds, for the settings AWS counts in seconds. */
    public static int wholeSeconds(String option, Duration d) {
        if (d.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(option + " is counted in whole seconds, not " + d.toMillis() + " ms");
        }
        return Math.toIntExact(d.toSeconds());
    }

    /**
     * A duration as a whole number of seconds from {@code min} to {@code max}, for the settings AWS bounds in seconds
     * (a tumbling window and a function timeout: 1 to 900).
     */
    public static int wholeSeconds(String option, Duration d, int min, int max) {
        if (d.toMillis() % 1000 != 0 || d.toSeconds() < min || d.toSeconds() > max) {
            throw new IllegalArgumentException(option + " must be whole seconds from " + min + " s to " + max + " s, not "
                    + describe(d));
        }
        return (int) d.toSeconds();
    }

    /** For output: {@code 30 s}, {@code 500 ms}, {@code 2 min}. */
    public static String describe(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        long s = d.toSeconds();
        if (s >= 86_400 && s % 86_400 == 0) {
            return s / 86_400 + " d";
        }
        if (s >= 3_600 && s % 3_600 == 0) {
            return s / 3_600 + " h";
        }
        return s % 60 == 0 && s >= 60 ? s / 60 + " min" : s + " s";
    }
}
