package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class Utf8ValidatorTest {

    /** The JDK's strict decoder as oracle: -1 when valid, else where the first malformed input starts. */
    private static int jdkFirstInvalid(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            return in.position();
        }
        r = decoder.flush(out);
        return r.isError() ? in.position() : -1;
    }

    @Property(tries = 5000)
    @Label("agrees with the JDK's strict UTF-8 decoder on where the first bad byte is")
    void agrees_with_the_jdk(@ForAll("utf8ish") byte[] bytes) {
        assertThat(Utf8Validator.firstInvalid(bytes, 0, bytes.length)).isEqualTo(jdkFirstInvalid(bytes));
    }

    @Example
    void overlong_forms_surrogates_and_code_points_above_the_unicode_range_are_invalid() {
        assertThat(Utf8Validator.firstInvalid(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 0, 3)).isEqualTo(1);
        assertThat(Utf8Validator.firstInvalid(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, 0, 3)).isZero();
        assertThat(Utf8Validator.firstInvalid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)).isZero();
        assertThat(Utf8Validator.firstInvalid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, 4)).isZero();
        assertThat(Utf8Validator.firstInvalid("é東😀".getBytes(StandardCharsets.UTF_8), 0, 9)).isEqualTo(-1);
    }

    @Example
    void a_sequence_cut_by_the_end_of_the_range_is_invalid_even_when_the_buffer_goes_on() {
        byte[] e = "xé".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Validator.firstInvalid(e, 0, 2)).isEqualTo(1);
        assertThat(Utf8Validator.firstInvalid(e, 0, 3)).isEqualTo(-1);
    }

    @Provide
    Arbitrary<byte[]> utf8ish() {
        Arbitrary<byte[]> valid = Arbitraries.strings().all().ofMaxLength(40)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<byte[]> damaged = valid.flatMap(b -> Arbitraries.integers().between(0, Math.max(0, b.length - 1))
                .flatMap(i -> Arbitraries.bytes().map(x -> {
                    byte[] c = b.clone();
                    if (c.length > 0) {
                        c[i] = x;
                    }
                    return c;
                })));
        Arbitrary<byte[]> longAscii = Arbitraries.strings().ascii().ofMinLength(8).ofMaxLength(100)
                .flatMap(s -> damagedAt(s.getBytes(StandardCharsets.US_ASCII)));
        return Arbitraries.oneOf(valid, random, damaged, longAscii);
    }

    private static Arbitrary<byte[]> damagedAt(byte[] ascii) {
        return Arbitraries.integers().between(0, ascii.length - 1).flatMap(i -> Arbitraries.bytes().map(x -> {
            byte[] c = ascii.clone();
            c[i] = x;
            return c;
        }));
    }
}
