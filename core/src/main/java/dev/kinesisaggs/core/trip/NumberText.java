package dev.kinesisaggs.core.trip;

import com.fasterxml.jackson.core.io.NumberInput;

/**
 * Numbers written inside strings ({@code "vendorId":"2"}), read straight from the parser's char buffer.
 *
 * <p>The grammar is JSON's number grammar (sign, digits, optional fraction, optional exponent) except
 * that leading zeros are tolerated. {@link Double#parseDouble} alone would not do: it also accepts
 * {@code "NaN"}, {@code "1d"}, hex and surrounding blanks, none of which a producer means as a number.
 */
final class NumberText {

    /** Not a number at all. */
    static final int NOT_A_NUMBER = 0;
    /** Only a sign and digits: an integer. */
    static final int INTEGER = 1;
    /** Has a fraction or an exponent. */
    static final int DECIMAL = 2;

    /** Integers with at most this many digits fit in a long without overflow checks. */
    private static final int SAFE_LONG_DIGITS = 18;

    private NumberText() {
    }

    static int classify(char[] c, int off, int len) {
        int i = off;
        int end = off + len;
        if (i < end && c[i] == '-') {
            i++;
        }
        int digits = 0;
        while (i < end && isDigit(c[i])) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return NOT_A_NUMBER;
        }
        if (i == end) {
            return INTEGER;
        }
        if (c[i] == '.') {
            i++;
            int frac = 0;
            while (i < end && isDigit(c[i])) {
                i++;
                frac++;
            }
            if (frac == 0) {
                return NOT_A_NUMBER;
            }
        }
        if (i < end && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            if (i < end && (c[i] == '+' || c[i] == '-')) {
                i++;
            }
            int exp = 0;
            while (i < end && isDigit(c[i])) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return NOT_A_NUMBER;
            }
        }
        return i == end ? DECIMAL : NOT_A_NUMBER;
    }

    /** Whether an {@link #INTEGER} text is short enough for {@link #parseLong} (leading zeros do not count). */
    static boolean fitsLong(char[] c, int off, int len) {
        int i = c[off] == '-' ? off + 1 : off;
        int end = off + len;
        while (i < end - 1 && c[i] == '0') {
            i++;
        }
        return end - i <= SAFE_LONG_DIGITS;
    }

    /** Parses an {@link #INTEGER} text too long for {@link #fitsLong}; null when it does not fit a long. */
    static Long parseLongSlow(char[] c, int off, int len) {
        try {
            return Long.parseLong(new String(c, off, len));
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /** Parses an {@link #INTEGER} text for which {@link #fitsLong} holds. */
    static long parseLong(char[] c, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = c[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        while (i < end) {
            v = v * 10 + (c[i++] - '0');
        }
        return negative ? -v : v;
    }

    /** Parses any text that {@link #classify} accepts. */
    static double parseDouble(char[] c, int off, int len) {
        return NumberInput.parseDouble(c, off, len, true);
    }

    private static boolean isDigit(char ch) {
        return ch >= '0' && ch <= '9';
    }
}
