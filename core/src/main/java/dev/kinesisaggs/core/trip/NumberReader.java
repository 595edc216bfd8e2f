package dev.kinesisaggs.core.trip;

/**
 * A number's text read from bytes, {@code -?digits(.digits)?([eE][+-]?digits)?}, with its value computed only when it
 * is certain to be the one any correct parser gives: integers of at most 18 significant digits, decimals whose digits
 * fit 2^53 with a power of ten up to 22 (Clinger's fast path: one correctly rounded IEEE operation on two exact
 * operands, so the same double as Jackson's). Anything else is {@link #NOT_HANDLED}, for {@link TripScanner}'s caller to
 * read with Jackson.
 *
 * <p>Not thread-safe: the last number's value is kept in fields, so that reading one allocates nothing.
 * {@link TripScanner} holds one.
 */
final class NumberReader {

    // What a number text turned out to be.
    static final int NOT_HANDLED = 0;
    static final int INTEGER = 1;
    static final int DECIMAL = 2;

    /** Longer number texts are left to Jackson, which has a limit on them (1,000 characters). */
    private static final int MAX_NUMBER_LENGTH = 32;
    /** Integers of at most this many significant digits cannot overflow a long. */
    private static final int MAX_INTEGER_DIGITS = 18;
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    /** Powers of ten that are exact as doubles. */
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
            1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** The value of the last number read: {@link #integer} for {@link #INTEGER}, {@link #decimal} for {@link #DECIMAL}. */
    long integer;
    double decimal;
    /** Where the last number read stopped: the caller checks what follows. */
    int end;

    /**
     * Reads a number from {@code from}, before {@code limit}, as a JSON number when {@code json} (no leading zeros) or
     * as {@link NumberText} reads a number in a string (leading zeros allowed). Gives up on texts longer than
     * {@link #MAX_NUMBER_LENGTH} (it stops reading there, so what follows is a digit).
     */
    int read(byte[] b, int from, int limit, boolean json) {
        int to = Math.min(limit, from + MAX_NUMBER_LENGTH);
        int i = from;
        boolean negative = i < to && b[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int intStart = i;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            mantissa = mantissa * 10 + d; // may overflow past 18 digits: checked below
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || (json && intDigits > 1 && b[intStart] == '0')) {
            return NOT_HANDLED;
        }
        int fractionDigits = 0;
        if (i < to && b[i] == '.') {
            int fractionStart = ++i;
            // the first eight digits of a fraction (a coordinate has eight) at once, the rest byte by byte
            if (i + 8 <= to) {
                long word = EightDigits.word(b, i);
                int n = EightDigits.leadingDigits(word);
                if (n > 0) {
                    mantissa = EightDigits.append(mantissa, word, n);
                    i += n;
                }
            }
            for (; i < to; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                mantissa = mantissa * 10 + d;
            }
            fractionDigits = i - fractionStart;
            if (fractionDigits == 0) {
                return NOT_HANDLED;
            }
        }
        if (intDigits + fractionDigits > MAX_INTEGER_DIGITS && significantDigits(b, intStart, i) > MAX_INTEGER_DIGITS) {
            return NOT_HANDLED; // the mantissa may have overflowed
        }
        int exponent = 0;
        boolean hasExponent = i < to && (b[i] == 'e' || b[i] == 'E');
        if (hasExponent) {
            i++;
            boolean negativeExponent = i < to && b[i] == '-';
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                i++;
            }
            int expStart = i;
            for (; i < to && isDigit(b[i]) && i - expStart < 4; i++) {
                exponent = exponent * 10 + (b[i] - '0');
            }
            if (i == expStart) {
                return NOT_HANDLED;
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        end = i;
        if (fractionDigits == 0 && !hasExponent) {
            integer = negative ? -mantissa : mantissa;
            return INTEGER;
        }
        int power = exponent - fractionDigits;
        if (mantissa > MAX_EXACT_MANTISSA || power < -22 || power > 22) {
            return NOT_HANDLED;
        }
        double value = power >= 0 ? mantissa * POWERS_OF_TEN[power] : mantissa / POWERS_OF_TEN[-power];
        decimal = negative ? -value : value;
        return DECIMAL;
    }

    /** 10^k as a double, exactly: k from 0 to 22. */
    static double powerOfTen(int k) {
        return POWERS_OF_TEN[k];
    }

    /** Whether the byte may go on a number: after one, it means the text is not one JSON number ("1.5.3", "1-2"). */
    static boolean isNumberByte(byte b) {
        return isDigit(b) || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    /** The digits of {@code digits[.digits]} from {@code from} to {@code to}, leading zeros not counted. */
    private static int significantDigits(byte[] b, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (b[i] != '.' && (count > 0 || b[i] != '0')) {
                count++;
            }
        }
        return count;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
