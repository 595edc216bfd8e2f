package dev.kinesisaggs.core.trip;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;

/**
 * The trip's ISO-8601 date-times.
 *
 * <p>Nearly every record carries the producer's form {@code 2016-01-01T00:14:00}; it is read by hand
 * from the parser's char buffer, without allocating a String. The rare forms (fraction of second,
 * offset or zone, no seconds) go through {@link DateTimeFormatter#ISO_DATE_TIME}; years are 0000 to 9999 in every
 * form (a signed year of five digits or more is refused).
 */
public final class TripDates {

    private TripDates() {
    }

    /**
     * Reads an ISO-8601 local date-time, optionally with fraction, offset ({@code Z}, {@code +01:00})
     * and region ({@code [Europe/Paris]}); a date-time with a zone is converted to UTC.
     *
     * @return the date-time, or {@code null} when the text is not such a date-time
     */
    static LocalDateTime parse(char[] c, int off, int len) {
        if (len == 19) {
            LocalDateTime fast = parseCommon(c, off, true);
            if (fast != null) {
                return fast;
            }
        } else if (len == 16) {
            LocalDateTime fast = parseCommon(c, off, false);
            if (fast != null) {
                return fast;
            }
        }
        return parseRare(new String(c, off, len));
    }

    /** {@link #parse(char[], int, int)} for a String. */
    static LocalDateTime parse(String text) {
        return parse(text.toCharArray(), 0, text.length());
    }

    /** What {@link #packCommon} gives for anything but a valid date-time in a common form. */
    static final long NOT_A_DATE = -1;

    // A packed date-time: yyyy (14 bits) MM (4) dd (5) | HH (5) mm (6) ss (6), the date above TIME_BITS.
    private static final int TIME_BITS = 17;

    /**
     * A slot of {@code slots} (a power of two) for a packed date-time: its hour and minute, mixed with the day, so that
     * a day's minutes fall in different slots; the seconds are left out.
     */
    static int minuteSlot(long packed, int slots) {
        return (int) (packed >>> 6 ^ packed >>> TIME_BITS) & (slots - 1);
    }

    /**
     * The common forms {@code yyyy-MM-ddTHH:mm:ss} (19 bytes) and {@code yyyy-MM-ddTHH:mm} (16 bytes) read from
     * ASCII bytes, for {@link TripScanner}, packed in a long so that reading allocates nothing (see
     * {@link #date} and {@link #time}); {@link #NOT_A_DATE} for anything else, which {@link #parse} may still
     * accept.
     */
    static long packCommon(byte[] b, int o, int len) {
        if (len == 19) {
            return packWithSeconds(b, o);
        }
        if (len != 16 || b[o + 4] != '-' || b[o + 7] != '-' || b[o + 10] != 'T' || b[o + 13] != ':') {
            return NOT_A_DATE;
        }
        int year = digits2(b, o) * 100 + digits2(b, o + 2);
        int month = digits2(b, o + 5);
        int day = digits2(b, o + 8);
        int hour = digits2(b, o + 11);
        int minute = digits2(b, o + 14);
        if (!isValid(year, month, day, hour, minute, 0)) {
            return NOT_A_DATE;
        }
        return pack(year, month, day, hour, minute, 0);
    }

    private static long pack(int year, int month, int day, int hour, int minute, int second) {
        return ((long) year << 9 | month << 5 | day) << TIME_BITS | hour << 12 | minute << 6 | second;
    }

    // yyyy-MM-ddTHH:mm:ss read as three words of eight bytes, from 0, 8 and 11 (the last two overlap): which of their
    // bytes are digits (0xFF), and which separators the others hold (0 where the byte is checked by another word)
    private static final long DIGITS_0 = bytes(0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0);
    private static final long SEPARATORS_0 = bytes(0, 0, 0, 0, '-', 0, 0, '-');
    private static final long DIGITS_8 = bytes(0xFF, 0xFF, 0, 0xFF, 0xFF, 0, 0xFF, 0xFF);
    private static final long SEPARATORS_8 = bytes(0, 0, 'T', 0, 0, ':', 0, 0);
    private static final long DIGITS_11 = bytes(0, 0, 0, 0, 0, 0, 0xFF, 0xFF);
    private static final long SEPARATORS_11 = bytes(0, 0, 0, 0, 0, ':', 0, 0);
    private static final long CHECKED_0 = nonZeroBytes(SEPARATORS_0);
    private static final long CHECKED_8 = nonZeroBytes(SEPARATORS_8);
    private static final long CHECKED_11 = nonZeroBytes(SEPARATORS_11);

    /**
     * {@link #packCommon} of {@code yyyy-MM-ddTHH:mm:ss}, the producers' form: its 19 bytes are checked and read as three
     * words, the two digits of each part at once, rather than one byte and one branch at a time.
     */
    private static long packWithSeconds(byte[] b, int o) {
        long w0 = EightDigits.word(b, o);
        long w8 = EightDigits.word(b, o + 8);
        long w11 = EightDigits.word(b, o + 11);
        if ((w0 & CHECKED_0) != SEPARATORS_0 || (w8 & CHECKED_8) != SEPARATORS_8 || (w11 & CHECKED_11) != SEPARATORS_11
                || !EightDigits.allDigits(w0, DIGITS_0) || !EightDigits.allDigits(w8, DIGITS_8)
                || !EightDigits.allDigits(w11, DIGITS_11)) {
            return NOT_A_DATE;
        }
        long p0 = EightDigits.pairs(w0);
        long p8 = EightDigits.pairs(w8);
        long p11 = EightDigits.pairs(w11);
        int year = (int) (p0 & 0xFF) * 100 + (int) (p0 >>> 16 & 0xFF);
        int month = (int) (p0 >>> 40 & 0xFF);
        int day = (int) (p8 & 0xFF);
        int hour = (int) (p8 >>> 24 & 0xFF);
        int minute = (int) (p8 >>> 48 & 0xFF);
        int second = (int) (p11 >>> 48 & 0xFF);
        if (!isValid(year, month, day, hour, minute, second)) {
            return NOT_A_DATE;
        }
        return pack(year, month, day, hour, minute, second);
    }

    /** 0xFF in every byte of the word that is not 0. */
    private static long nonZeroBytes(long word) {
        long mask = 0;
        for (int i = 0; i < 8; i++) {
            if ((word >>> (8 * i) & 0xFF) != 0) {
                mask |= 0xFFL << (8 * i);
            }
        }
        return mask;
    }

    private static long bytes(int... values) {
        long word = 0;
        for (int i = 0; i < values.length; i++) {
            word |= (long) (values[i] & 0xFF) << (8 * i);
        }
        return word;
    }

    /** The day of a packed date-time, as a number that differs for different days. */
    static long day(long packed) {
        return packed >>> TIME_BITS;
    }

    /** The date of a packed date-time (the values were checked when packing). */
    static LocalDate date(long packed) {
        int date = (int) (packed >>> TIME_BITS);
        return LocalDate.of(date >>> 9, date >>> 5 & 0xF, date & 0x1F);
    }

    /** The time of a packed date-time. */
    static LocalTime time(long packed) {
        int time = (int) packed & ((1 << TIME_BITS) - 1);
        return LocalTime.of(time >>> 12, time >>> 6 & 0x3F, time & 0x3F);
    }

    /** {@code yyyy-MM-ddTHH:mm[:ss]}, or null when the text is not exactly that with valid values. */
    private static LocalDateTime parseCommon(char[] c, int o, boolean withSeconds) {
        if (c[o + 4] != '-' || c[o + 7] != '-' || c[o + 10] != 'T' || c[o + 13] != ':'
                || (withSeconds && c[o + 16] != ':')) {
            return null;
        }
        return valid(digits4(c, o), digits2(c, o + 5), digits2(c, o + 8), digits2(c, o + 11),
                digits2(c, o + 14), withSeconds ? digits2(c, o + 17) : 0);
    }

    /** The date-time when every part is in range; a part that was not two digits is negative. */
    private static LocalDateTime valid(int year, int month, int day, int hour, int minute, int second) {
        return isValid(year, month, day, hour, minute, second)
                ? LocalDateTime.of(year, month, day, hour, minute, second) : null;
    }

    private static boolean isValid(int year, int month, int day, int hour, int minute, int second) {
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        return day <= 28 || day <= Month.of(month).length(Year.isLeap(year)); // every month has 28 days
    }

    private static LocalDateTime parseRare(String text) {
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
            LocalDateTime t = parsed.query(TemporalQueries.zone()) == null ? LocalDateTime.from(parsed)
                    : ZonedDateTime.from(parsed).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
            return TripRules.hasTripYear(t) ? t : null;
        } catch (DateTimeException notADate) {
            return null;
        }
    }


    private static int digits2(char[] c, int o) {
        int a = c[o] - '0';
        int b = c[o + 1] - '0';
        if (a < 0 || a > 9 || b < 0 || b > 9) {
            return -1;
        }
        return a * 10 + b;
    }

    /** Two ASCII digits as a number 0..99, or a negative number when either byte is not a digit. */
    private static int digits2(byte[] b, int o) {
        int a = b[o] - '0';
        int c = b[o + 1] - '0';
        if (a < 0 || a > 9 || c < 0 || c > 9) {
            return -10_000; // stays negative even as the high half of a year
        }
        return a * 10 + c;
    }

    private static int digits4(char[] c, int o) {
        int hi = digits2(c, o);
        int lo = digits2(c, o + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }

    /**
     * Writes the workshop's form {@code 2016-01-01T00:14:00} (always with seconds), with a fraction
     * only when there is one, so that {@link #parse} gives back the same value: the one form of a trip's dates
     * wherever they are written (the trip JSON, the trips table, a rejection's detail). {@code LocalDateTime}'s
     * own {@code toString} leaves out seconds that are 0, so a sixtieth of the trips would read differently.
     */
    public static String format(LocalDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999 || t.getNano() != 0) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        char[] c = new char[19];
        put4(c, 0, year);
        c[4] = '-';
        put2(c, 5, t.getMonthValue());
        c[7] = '-';
        put2(c, 8, t.getDayOfMonth());
        c[10] = 'T';
        put2(c, 11, t.getHour());
        c[13] = ':';
        put2(c, 14, t.getMinute());
        c[16] = ':';
        put2(c, 17, t.getSecond());
        return new String(c);
    }

    private static void put2(char[] c, int o, int v) {
        c[o] = (char) ('0' + v / 10);
        c[o + 1] = (char) ('0' + v % 10);
    }

    private static void put4(char[] c, int o, int v) {
        put2(c, o, v / 100);
        put2(c, o + 2, v % 100);
    }
}
