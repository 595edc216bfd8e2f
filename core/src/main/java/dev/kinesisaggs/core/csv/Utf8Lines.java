package dev.kinesisaggs.core.csv;

import dev.kinesisaggs.core.lines.ByteLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a file decoded one at a time, so that a byte that is not UTF-8 is its line's problem, not the whole
 * file's: a reader that decodes the stream as a whole stops at it, some lines later than it is (it decodes ahead by
 * blocks).
 */
final class Utf8Lines {

    /** A line without its terminator, and whether its bytes were UTF-8 (if not, the text has U+FFFD in their place). */
    record Line(String text, boolean utf8) {
    }

    private final ByteLines lines;
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    Utf8Lines(InputStream in) {
        this.lines = new ByteLines(in);
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        byte[] bytes = lines.next();
        if (bytes == null) {
            return null;
        }
        try {
            return new Line(strict.decode(ByteBuffer.wrap(bytes)).toString(), true);
        } catch (CharacterCodingException e) {
            return new Line(new String(bytes, StandardCharsets.UTF_8), false);
        }
    }

    void close() throws IOException {
        lines.close();
    }
}
