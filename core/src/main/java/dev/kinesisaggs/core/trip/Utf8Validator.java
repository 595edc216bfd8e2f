package dev.kinesisaggs.core.trip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
 *
 * <p>We check it ourselves because Jackson only decodes the strings it is asked for: the bytes of a
 * skipped unknown field would pass unchecked. Trips are almost always pure ASCII, so the loop reads
 * eight bytes at a time until it meets a byte with the high bit set.
 */
final class Utf8Validator {

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Validator() {
    }

    /** The offset (relative to the buffer) of the first byte of an invalid sequence, or -1 when all is valid. */
    static int firstInvalid(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        // ASCII fast path, 8 bytes per step
        while (i + 8 <= end && ((long) LONGS.get(buf, i) & HIGH_BITS) == 0) {
            i += 8;
        }
        while (i < end) {
            int b = buf[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int start = i;
            b &= 0xFF;
            int need;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return start; // continuation byte without a lead, 0xC0/0xC1 (always overlong) or > 0xF4
            }
            if (i + need >= end) {
                return start; // the sequence is cut off by the end of the record
            }
            int cp = b & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int c = buf[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return start;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return start;
            }
            i += need + 1;
        }
        return -1;
    }
}
