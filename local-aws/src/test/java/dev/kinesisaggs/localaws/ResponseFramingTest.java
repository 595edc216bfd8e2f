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

    /** However the bytes are cut into reads, each response ends in the read that holds its last byte, never before. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096})
    void responsesEndAtTheirLastByteHoweverTheBytesAreCut(int readSize) {
        String interim = "HTTP/1.1 100 Continue\r\n\r\n";
        byte[] bytes = (WITH_LENGTH + CHUNKED + interim + WITH_LENGTH + "HTTP/1.1 204 No Content\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        int[] lastBytes = {WITH_LENGTH.length(), WITH_LENGTH.length() + CHUNKED.length(),
                WITH_LENGTH.length() * 2 + CHUNKED.length() + interim.length(), bytes.length};
        ResponseFraming framing = new ResponseFraming();
        int ended = 0;
        for (int at = 0; at < bytes.length; at += readSize) {
            int end = Math.min(at + readSize, bytes.length);
            int from = at;
            long expected = java.util.Arrays.stream(lastBytes).filter(last -> last > from && last <= end).count();

            assertThat(framing.feed(bytes, at, end - at)).as("responses ended by bytes %d to %d", at, end).isEqualTo(expected);
            ended += expected;
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
