package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResponseFramingTest {
    private static final String WITH_LENGTH = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
            + "Content-Length: 11\r\nx-amz-crc32: 1\r\n\r\n{\"Items\":1}";
    private static final String CHUNKED = "HTTP/1.1 400 Bad Request\r\ntransfer-encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n0\r\nTrailer: x\r\n\r\n";

    /** Every way of cutting the bytes into reads gives the same ends: at the last byte of each response, never before. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096})
    void responsesEndAtTheirLastByteHoweverTheBytesAreCut(int readSize) {
        byte[] bytes = (WITH_LENGTH + CHUNKED + "HTTP/1.1 100 Continue\r\n\r\n" + WITH_LENGTH
                + "HTTP/1.1 204 No Content\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int[] ends = {WITH_LENGTH.length(), WITH_LENGTH.length() + CHUNKED.length(),
                WITH_LENGTH.length() * 2 + CHUNKED.length() + "HTTP/1.1 100 Continue\r\n\r\n".length(), bytes.length};
        ResponseFraming framing = new ResponseFraming();
        int ended = 0;
        for (int at = 0; at < bytes.length; at += readSize) {
            int length = Math.min(readSize, bytes.length - at);
            // byte by byte inside the read, to see where each end falls
            for (int b = at; b < at + length; b++) {
                int now = framing.feed(bytes, b, 1);
                if (now > 0) {
                    assertThat(b + 1).as("end of response %d", ended + 1).isEqualTo(ends[ended]);
                    ended += now;
                }
            }
        }
        assertThat(ended).isEqualTo(4);
        assertThat(framing.idle()).isTrue();
    }

    @Test
    void severalResponsesInOneReadAreCounted() {
        byte[] bytes = (WITH_LENGTH + CHUNKED + WITH_LENGTH).getBytes(StandardCharsets.ISO_8859_1);
        ResponseFraming framing = new ResponseFraming();

        assertThat(framing.feed(bytes, 0, bytes.length)).isEqualTo(3);
        assertThat(framing.idle()).isTrue();
    }

    @Test
    void aResponseCutInItsBodyIsUnderWay() {
        byte[] bytes = WITH_LENGTH.getBytes(StandardCharsets.ISO_8859_1);
        ResponseFraming framing = new ResponseFraming();

        assertThat(framing.feed(bytes, 0, bytes.length - 1)).isZero();
        assertThat(framing.idle()).isFalse();
        assertThat(framing.feed(bytes, bytes.length - 1, 1)).isOne();
    }

    @Test
    void aResponseWithNeitherLengthNorChunksEndsWithTheConnection() {
        byte[] bytes = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end".getBytes(StandardCharsets.ISO_8859_1);
        ResponseFraming framing = new ResponseFraming();

        assertThat(framing.feed(bytes, 0, bytes.length)).isZero();
        assertThat(framing.endsAtClose()).isTrue();
    }
}
