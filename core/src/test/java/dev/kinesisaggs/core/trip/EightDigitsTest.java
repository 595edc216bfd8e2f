package dev.kinesisaggs.core.trip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EightDigitsTest {

    /** The slow way: byte by byte, as the scanner read numbers before. */
    private static int slowCount(byte[] b, int from) {
        int n = 0;
        while (n < 8 && b[from + n] >= '0' && b[from + n] <= '9') {
            n++;
        }
        return n;
    }

    private static long slowValue(byte[] b, int from, int count) {
        long v = 0;
        for (int i = 0; i < count; i++) {
            v = v * 10 + (b[from + i] - '0');
        }
        return v;
    }

    @Test
    void agreesWithReadingByteByByteOnEveryByteAfterTheDigits() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] b = new byte[16];
        for (int round = 0; round < 2_000_000; round++) {
            int digits = random.nextInt(9);
            for (int i = 0; i < b.length; i++) {
                b[i] = i < digits ? (byte) ('0' + random.nextInt(10)) : (byte) random.nextInt(256);
            }
            int from = random.nextInt(9);
            long word = EightDigits.word(b, from);
            int count = slowCount(b, from);
            assertEquals(count, EightDigits.leadingDigits(word), () -> "count of " + hex(b));
            if (count > 0) {
                assertEquals(slowValue(b, from, count), EightDigits.value(word, count), () -> "value of " + hex(b));
            }
        }
    }

    @Test
    void readsTheBytesAroundTheDigitsThatMayCarryOrBorrow() {
        // 0xFA-0xFF carry when 6 is added, '/' and ':' sit next to the digits, a NUL borrows when '0' is subtracted
        for (int before = 0; before < 256; before++) {
            byte[] b = ("12345678" + "90").getBytes(StandardCharsets.US_ASCII);
            for (int at = 0; at < 8; at++) {
                byte[] copy = b.clone();
                copy[at] = (byte) before;
                long word = EightDigits.word(copy, 0);
                int count = slowCount(copy, 0);
                assertEquals(count, EightDigits.leadingDigits(word));
                if (count > 0) {
                    assertEquals(slowValue(copy, 0, count), EightDigits.value(word, count));
                }
            }
        }
        assertEquals(99_999_999L, EightDigits.value(EightDigits.word("99999999".getBytes(StandardCharsets.US_ASCII), 0), 8));
        assertEquals(12_345_678_901L, EightDigits.append(123, EightDigits.word("45678901".getBytes(StandardCharsets.US_ASCII), 0), 8));
        assertEquals(1_234L, EightDigits.append(1, EightDigits.word("234,xxxx".getBytes(StandardCharsets.US_ASCII), 0), 3));
    }

    @Test
    void readsTheLastBytesOfAnArrayAsTheWordTheyBeginWithZerosAfterThem() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 10_000; round++) {
            byte[] b = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) random.nextInt(256);
            }
            int from = Math.max(0, b.length - 1 - random.nextInt(7)); // one to seven bytes left
            byte[] padded = java.util.Arrays.copyOf(b, from + 8); // the same bytes, then zeros
            assertEquals(EightDigits.word(padded, from), EightDigits.lastWord(b, from), () -> "from " + from + " of " + hex(b));
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02X ", x & 0xFF));
        }
        return s.toString();
    }
}
