package dev.kinesisaggs.core.csv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a file, read as bytes and decoded one at a time, so that a byte that is not UTF-8 is its line's
 * problem, not the whole file's: a reader that decodes the stream as a whole stops at it, some lines later than it
 * is (it decodes ahead by blocks). Lines end at {@code \n}, a {@code \r} before it dropped.
 */
final class Utf8Lines {

    /** A line without its terminator, and whether its bytes were UTF-8 (if not, the text has U+FFFD in their place). */
    record Line(String text, boolean utf8) {
    }

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int position;
    private int limit;

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        line.reset();
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return line.size() == 0 ? null : decode(line.toByteArray());
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            line.write(buffer, start, position - start);
            if (position < limit) {
                position++; // the \n
                return decode(line.toByteArray());
            }
        }
    }

    private Line decode(byte[] bytes) {
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return new Line(strict.decode(ByteBuffer.wrap(bytes, 0, length)).toString(), true);
        } catch (CharacterCodingException e) {
            return new Line(new String(bytes, 0, length, StandardCharsets.UTF_8), false);
        }
    }

    void close() throws IOException {
        in.close();
    }
}
