package dev.kinesisaggs.core.trip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * ASCII digits read eight at a time, as one little-endian {@code long} (the first byte in the lowest bits): a trip's
 * coordinates and distances have eight or nine digits after the point, which a loop reads one byte and one branch at
 * a time. The conversion is the well-known SWAR one (three multiplications for eight digits, as in simdjson).
 */
final class EightDigits {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ZEROS = 0x3030303030303030L;
    private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;
    private static final long SIXES = 0x0606060606060606L;

    /** Powers of ten up to 10^8, as longs, for the mantissa of the digits read before. */
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private EightDigits() {
    }

    /** The eight bytes from {@code i}; the caller makes sure that they are inside the array. */
    static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** The bytes from {@code i} to the array's end, fewer than eight, as {@link #word} reads them; zeros after them. */
    static long lastWord(byte[] b, int i) {
        long word = 0;
        for (int k = b.length - 1; k >= i; k--) {
            word = word << 8 | (b[k] & 0xFF);
        }
        return word;
    }

    /**
     * How many of the word's bytes, from its first, are the digits '0' to '9': 0 to 8. A byte is one when its high
     * nibble is 3 and adding 6 keeps it so; adding 6 to a byte from 0xFA on carries into the next byte, but such a byte
     * is no digit itself, and what follows the first non-digit is not counted.
     */
    static int leadingDigits(long word) {
        return Long.numberOfTrailingZeros(notDigits(word)) >>> 3;
    }

    /**
     * The value of the word's first {@code count} bytes (1 to 8), all digits, the first the most significant. The
     * bytes after them may be anything: subtracting '0' borrows only towards the later bytes, which the shift drops.
     */
    static long value(long word, int count) {
        long digits = (word - ZEROS) << (8 * (8 - count)); // leading zero digits make it eight
        digits = (digits * 10 + (digits >>> 8)) & 0x00FF00FF00FF00FFL; // pairs: 10a + b in every other byte
        digits = (digits * 100 + (digits >>> 16)) & 0x0000FFFF0000FFFFL; // fours in every other 16 bits
        return (digits * 10_000 + (digits >>> 32)) & 0xFFFFFFFFL; // eight
    }

    /**
     * Whether every byte of the word where {@code mask} has 0xFF is a digit, by the same test as {@link #leadingDigits}.
     * A byte outside the mask from 0xFA on carries into the next when 6 is added, which can only make a '9' after it
     * fail the test: a caller that also checks the bytes outside the mask refuses such a word anyway.
     */
    static boolean allDigits(long word, long mask) {
        return (notDigits(word) & mask) == 0;
    }

    /** Bits set in every byte of the word that is not a digit (see {@link #leadingDigits} for the carries). */
    private static long notDigits(long word) {
        return ((word & HIGH_NIBBLES) ^ ZEROS) | (((word + SIXES) & HIGH_NIBBLES) ^ ZEROS);
    }

    /** Each byte {@code k} of the result is {@code 10 * digit k + digit k+1}, for words whose bytes are digits. */
    static long pairs(long word) {
        long digits = word & 0x0F0F0F0F0F0F0F0FL; // no borrow between bytes, unlike subtracting '0'
        return digits * 10 + (digits >>> 8); // at most 165 a byte: nothing carries into the next
    }

    /** {@code mantissa} followed by the word's first {@code count} digits (1 to 8): its digits read so far, and these. */
    static long append(long mantissa, long word, int count) {
        return mantissa * POWERS_OF_TEN[count] + value(word, count);
    }
}
