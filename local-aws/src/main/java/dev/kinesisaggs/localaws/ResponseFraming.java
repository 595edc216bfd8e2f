package dev.kinesisaggs.localaws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where each HTTP/1.1 response ends, in the bytes an emulator sends back on one connection, without buffering them:
 * the head up to its empty line, then a body framed by {@code Content-Length}, by chunks, or by the end of the
 * connection (RFC 9112, section 6.3). Interim {@code 1xx} answers end no exchange; {@code 204} and {@code 304} have
 * no body. Answers to {@code HEAD} (a length but no body) are not told apart: the emulators behind the gate are
 * called with POST only.
 */
final class ResponseFraming {
    private static final int MAX_HEAD = 64 * 1024;

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, UNTIL_CLOSE }

    private State state = State.HEAD;
    /** The head, a chunk-size line or a trailer line read so far. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long remaining;
    /** The last four bytes of {@code pending}, to see a line's end without copying it. */
    private int lastFour;

    /** Takes the next bytes of the connection; returns how many responses they end. */
    int feed(byte[] bytes, int offset, int length) {
        int ended = 0;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (state) {
                case HEAD -> {
                    take(bytes[i++]);
                    if (endsWithEmptyLine()) {
                        ended += afterHead(new String(pending.toByteArray(), StandardCharsets.ISO_8859_1));
                        restart();
                    } else if (pending.size() > MAX_HEAD) {
                        throw new IllegalStateException("a response head longer than " + MAX_HEAD + " bytes");
                    }
                }
                case BODY, CHUNK_DATA, CHUNK_END -> {
                    int taken = (int) Math.min(remaining, end - i);
                    i += taken;
                    remaining -= taken;
                    if (remaining == 0) {
                        if (state == State.BODY) {
                            state = State.HEAD;
                            ended++;
                        } else if (state == State.CHUNK_DATA) {
                            state = State.CHUNK_END;
                            remaining = 2; // the CRLF after a chunk's data
                        } else {
                            state = State.CHUNK_SIZE;
                        }
                    }
                }
                case CHUNK_SIZE -> {
                    take(bytes[i++]);
                    if (endsWithLineEnd()) {
                        String line = lineRead();
                        int extension = line.indexOf(';');
                        long size = Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
                        if (size == 0) {
                            state = State.TRAILER;
                        } else {
                            state = State.CHUNK_DATA;
                            remaining = size;
                        }
                    }
                }
                case TRAILER -> {
                    take(bytes[i++]);
                    if (endsWithLineEnd() && lineRead().isEmpty()) {
                        state = State.HEAD;
                        ended++;
                    }
                }
                case UNTIL_CLOSE -> i = end;
            }
        }
        return ended;
    }

    /** Between two responses: nothing of the next one has come yet. */
    boolean idle() {
        return state == State.HEAD && pending.size() == 0;
    }

    /** The response under way ends when the connection does. */
    boolean endsAtClose() {
        return state == State.UNTIL_CLOSE;
    }

    /** Where the body of the response whose head this is goes; returns 1 when the response has ended with it. */
    private int afterHead(String head) {
        String[] lines = head.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        if (status >= 100 && status < 200) {
            return 0; // an interim answer: the final one follows
        }
        long contentLength = -1;
        boolean chunked = false;
        for (int l = 1; l < lines.length; l++) {
            int colon = lines[l].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[l].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[l].substring(colon + 1).trim();
            if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            } else if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            }
        }
        if (status == 204 || status == 304) {
            return 1;
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
            return 0;
        }
        if (contentLength >= 0) {
            if (contentLength == 0) {
                return 1;
            }
            state = State.BODY;
            remaining = contentLength;
            return 0;
        }
        state = State.UNTIL_CLOSE;
        return 0;
    }

    private void take(byte b) {
        pending.write(b);
        lastFour = (lastFour << 8) | (b & 0xFF);
    }

    private void restart() {
        pending.reset();
        lastFour = 0;
    }

    private boolean endsWithEmptyLine() {
        return pending.size() >= 4 && lastFour == 0x0D0A0D0A;
    }

    private boolean endsWithLineEnd() {
        return pending.size() >= 2 && (lastFour & 0xFFFF) == 0x0D0A;
    }

    /** The line read, without its CRLF; starts the next. */
    private String lineRead() {
        String line = new String(pending.toByteArray(), 0, pending.size() - 2, StandardCharsets.ISO_8859_1);
        restart();
        return line;
    }
}
