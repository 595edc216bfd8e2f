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

    /**
     * A line without its terminator.
     *
     * @param text          its text (where its bytes were not UTF-8, U+FFFD stands for each bad sequence)
     * @param notUtf8Bytes  its bytes as in the file when they were not UTF-8, else null (the text says them)
     */
    record Line(String text, byte[] notUtf8Bytes) {
        /** A line of UTF-8 text. */
        Line(String text) {
            this(text, null);
        }

        boolean utf8() {
            return notUtf8Bytes == null;
        }
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
            return new Line(strict.decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return new Line(new String(bytes, StandardCharsets.UTF_8), bytes);
        }
    }

    void close() throws IOException {
        lines.close();
    }
}
