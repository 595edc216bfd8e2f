package dev.kinesisaggs.core.trip;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The workshop producers' record as they write it: every field of {@link Trip#FIELD_NAMES}, in that order, no blank
 * anywhere, {@code {"id":...,"vendorId":...,...,"googleDuration":...}}. What comes before each value, the punctuation
 * and the quoted name ({@code ,"vendorId":}), is compared at once, as up to three words of eight bytes, so that a
 * record in this layout is read without looking for blanks, colons and names one byte at a time.
 *
 * <p>Their numbers too have a form of their own, read here in a few steps: integers of one to seven digits, decimals
 * such as {@code -73.98174286} (at most four digits, a point, one to nine digits), each followed by a comma or the
 * closing brace. The readers answer {@link #OTHER_FORM} for anything else, and {@link TripScanner} reads it the
 * general way; their answer is packed in a long (see {@link #mantissa}), so that reading allocates nothing.
 */
final class ProducerLayout {

    private static final int WORDS = 3;

    /** The fields, in the producers' order. */
    static final int FIELDS = Trip.FIELD_NAMES.size();

    private static final byte[][] PREFIXES = new byte[FIELDS][];
    private static final long[] PREFIX_WORDS = new long[WORDS * FIELDS];
    private static final long[] PREFIX_MASKS = new long[WORDS * FIELDS];

    static {
        for (int f = 0; f < FIELDS; f++) {
            byte[] prefix = ((f == 0 ? "{" : ",") + '"' + Trip.FIELD_NAMES.get(f) + "\":").getBytes(StandardCharsets.US_ASCII);
            if (prefix.length > 8 * WORDS) {
                throw new ExceptionInInitializerError("the field name " + Trip.FIELD_NAMES.get(f) + " is too long for "
                        + WORDS + " words");
            }
            PREFIXES[f] = prefix;
            for (int i = 0; i < prefix.length; i++) {
                PREFIX_WORDS[WORDS * f + i / 8] |= (prefix[i] & 0xFFL) << (8 * (i % 8));
                PREFIX_MASKS[WORDS * f + i / 8] |= 0xFFL << (8 * (i % 8));
            }
        }
    }

    private ProducerLayout() {
    }

    /**
     * Whether the bytes from {@code pos} are the punctuation and name before the value of {@code field} in this layout,
     * {@link #prefixLength} of them, all before {@code end}.
     */
    static boolean prefixAt(byte[] buf, int pos, int end, int field) {
        int length = PREFIXES[field].length;
        if (pos + length > end) {
            return false;
        }
        if (pos + 8 * WORDS <= buf.length) {
            // the words may reach past the record into the rest of the array (the next records of an aggregate): the
            // masks leave out every byte after the prefix, which ends before the record does
            int w = WORDS * field;
            return (((EightDigits.word(buf, pos) ^ PREFIX_WORDS[w]) & PREFIX_MASKS[w])
                    | ((EightDigits.word(buf, pos + 8) ^ PREFIX_WORDS[w + 1]) & PREFIX_MASKS[w + 1])
                    | ((EightDigits.word(buf, pos + 16) ^ PREFIX_WORDS[w + 2]) & PREFIX_MASKS[w + 2])) == 0;
        }
        return Arrays.equals(buf, pos, pos + length, PREFIXES[field], 0, length);
    }

    /** How many bytes the punctuation and name before the value of {@code field} take. */
    static int prefixLength(int field) {
        return PREFIXES[field].length;
    }

    /** What {@link #integerAt} and {@link #decimalAt} answer for a number in any other form. */
    static final long OTHER_FORM = -1;

    // A number read: its digits as an integer (at most 13 of them, under 2^44), then how many of them follow the point
    // (4 bits), whether it has a minus sign, and how many bytes it takes (5 bits).
    private static final int LENGTH_BITS = 5;
    private static final int SIGN_BIT = LENGTH_BITS;
    private static final int FRACTION_SHIFT = SIGN_BIT + 1;
    private static final int MANTISSA_SHIFT = FRACTION_SHIFT + 4;

    /**
     * The integer at {@code i}, as the producers write one, or {@link #OTHER_FORM}. Its digits are read as one word,
     * which may reach past the record into the rest of the array (or, at the array's end, what is left of it: a plain
     * record's last number); the digits counted, and the comma or brace after them, must be inside the record.
     */
    static long integerAt(byte[] b, int i, int end) {
        long word = i + 8 <= b.length ? EightDigits.word(b, i) : EightDigits.lastWord(b, i);
        int n = EightDigits.leadingDigits(word);
        if (n == 0 || n == 8 || i + n >= end || (n > 1 && b[i] == '0') || (b[i + n] != ',' && b[i + n] != '}')) {
            return OTHER_FORM;
        }
        return EightDigits.value(word, n) << MANTISSA_SHIFT | n;
    }

    /** The decimal at {@code i}, as the producers write one, or {@link #OTHER_FORM}. */
    static long decimalAt(byte[] b, int i, int end) {
        if (i + 16 > end) {
            return OTHER_FORM; // its fraction is read as a word of eight; in the producers' layout no value is this close
        }
        int start = i;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        long mantissa = 0;
        for (int d; (d = b[i] - '0') >= 0 && d <= 9 && i - intStart < 4; i++) {
            mantissa = mantissa * 10 + d;
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || b[i] != '.' || (intDigits > 1 && b[intStart] == '0')) {
            return OTHER_FORM; // no digit, more than four, an integer, a leading zero (not JSON)
        }
        long word = EightDigits.word(b, ++i);
        int fractionDigits;
        if (EightDigits.allDigits(word, -1L)) {
            // most fractions have eight digits or more: a branch that the processor predicts lets it go on to the next
            // field before the count is known (the full path 0.6 % faster than counting every time)
            fractionDigits = 8;
        } else {
            fractionDigits = EightDigits.leadingDigits(word);
            if (fractionDigits == 0) {
                return OTHER_FORM;
            }
        }
        mantissa = EightDigits.append(mantissa, word, fractionDigits);
        i += fractionDigits;
        if (fractionDigits == 8 && b[i] >= '0' && b[i] <= '9') {
            mantissa = mantissa * 10 + (b[i++] - '0');
            fractionDigits++;
        }
        if (b[i] != ',' && b[i] != '}') {
            return OTHER_FORM; // more digits, an exponent, a blank...
        }
        return mantissa << MANTISSA_SHIFT | (long) fractionDigits << FRACTION_SHIFT | (negative ? 1L << SIGN_BIT : 0)
                | (i - start);
    }

    /** The digits of a number read, as an integer: the number itself for an integer. */
    static long mantissa(long number) {
        return number >>> MANTISSA_SHIFT;
    }

    /** How many of the digits follow the point: the number is {@code mantissa / 10^fractionDigits}. */
    static int fractionDigits(long number) {
        return (int) (number >>> FRACTION_SHIFT) & 0xF;
    }

    /** Whether the number has a minus sign. */
    static boolean negative(long number) {
        return (number >>> SIGN_BIT & 1) != 0;
    }

    /** How many bytes the number takes. */
    static int length(long number) {
        return (int) number & ((1 << LENGTH_BITS) - 1);
    }
}
