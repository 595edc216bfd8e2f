package dev.kinesisaggs.core.lines;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of an input as bytes, undecoded: a reader of text files that must not stop at a byte that is not UTF-8
 * decodes each line itself (or keeps its bytes as they are). Lines end at {@code \n}, a {@code \r} before it dropped;
 * a last line without a terminator is a line too.
 */
public final class ByteLines implements Closeable {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private int position;
    private int limit;

    public ByteLines(InputStream in) {
        this.in = in;
    }

    /** The next line's bytes without its terminator, or null at the end of the input. */
    public byte[] next() throws IOException {
        line.reset();
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return line.size() == 0 ? null : withoutCarriageReturn(line.toByteArray());
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            line.write(buffer, start, position - start);
            if (position < limit) {
                position++; // the \n
                return withoutCarriageReturn(line.toByteArray());
            }
        }
    }

    private static byte[] withoutCarriageReturn(byte[] bytes) {
        int length = bytes.length;
        return length > 0 && bytes[length - 1] == '\r' ? java.util.Arrays.copyOf(bytes, length - 1) : bytes;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
