package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProducerLayoutTest {

    /** The workshop's example record, as its producer writes it. */
    private static final String RECORD = TripParserTest.WORKSHOP;

    @Test
    void findsEveryValueOfAProducersRecordInTurn() {
        byte[] record = RECORD.getBytes(StandardCharsets.US_ASCII);
        assertThat(RECORD).startsWith("{\"id\":\"id0190469\",\"vendorId\":2,");
        int pos = 0;
        StringBuilder values = new StringBuilder();
        for (int field = 0; field < ProducerLayout.FIELDS; field++) {
            assertThat(ProducerLayout.prefixAt(record, pos, record.length, field)).as("field %d at %d", field, pos).isTrue();
            int value = pos + ProducerLayout.prefixLength(field);
            pos = nextComma(record, value);
            values.append(RECORD, value, pos).append('|');
        }
        assertThat(values).hasToString("\"id0190469\"|2|\"2016-01-01T00:00:00\"|\"2016-01-01T00:14:00\"|5|-73.98174|"
                + "40.71916|-73.93883|40.82918|\"N\"|7.9288297|849|15309|1109}|");
    }

    @Test
    void refusesAnythingButThePunctuationAndNameExpectedThere() {
        byte[] record = RECORD.getBytes(StandardCharsets.US_ASCII);
        assertThat(ProducerLayout.prefixAt(record, 0, record.length, 1)).as("another field's name").isFalse();
        byte[] blank = "{ \"id\":\"a\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProducerLayout.prefixAt(blank, 0, blank.length, 0)).as("a blank").isFalse();
        byte[] otherCase = RECORD.replace("\"vendorId\"", "\"vendorID\"").getBytes(StandardCharsets.US_ASCII);
        int vendorAt = RECORD.indexOf(",\"vendorId\"");
        assertThat(ProducerLayout.prefixAt(otherCase, vendorAt, otherCase.length, 1)).as("one letter").isFalse();
        byte[] noColon = RECORD.replace("\"vendorId\":", "\"vendorId\" ").getBytes(StandardCharsets.US_ASCII);
        assertThat(ProducerLayout.prefixAt(noColon, vendorAt, noColon.length, 1)).as("the colon").isFalse();
    }

    @Test
    void neverTakesBytesPastTheRecordsEndAsItsOwn() {
        byte[] record = RECORD.getBytes(StandardCharsets.US_ASCII);
        int last = RECORD.indexOf(",\"googleDuration\":");
        int prefixEnd = last + ",\"googleDuration\":".length();
        // the buffer goes on with the right bytes (and enough of them to be read as words), but the record ends
        // inside the prefix
        byte[] buffer = (RECORD + RECORD).getBytes(StandardCharsets.US_ASCII);
        for (int end = last; end < prefixEnd; end++) {
            assertThat(ProducerLayout.prefixAt(buffer, last, end, 13)).as("end at %d", end).isFalse();
        }
        assertThat(ProducerLayout.prefixAt(buffer, last, prefixEnd, 13)).isTrue();
        assertThat(last + ProducerLayout.prefixLength(13)).isEqualTo(prefixEnd);
        // fewer than 24 bytes left in the array: compared byte by byte, with the same answers
        byte[] tail = Arrays.copyOfRange(record, last, record.length);
        assertThat(tail.length).isLessThan(24);
        assertThat(ProducerLayout.prefixAt(tail, 0, tail.length, 13)).isTrue();
        assertThat(ProducerLayout.prefixAt(tail, 0, prefixEnd - last - 1, 13)).isFalse();
        assertThat(ProducerLayout.prefixAt(tail, 0, tail.length, 12)).isFalse();
    }

    @Test
    void readsAPlainRecordsLastNumberUpToTheArraysEnd() {
        // a plain Kinesis record is its own array: its last number has fewer than eight bytes after it
        byte[] record = RECORD.getBytes(StandardCharsets.US_ASCII);
        int last = RECORD.lastIndexOf(':') + 1;
        assertThat(RECORD.substring(last)).isEqualTo("1109}");
        long number = ProducerLayout.integerAt(record, last, record.length);
        assertThat(ProducerLayout.mantissa(number)).isEqualTo(1109);
        assertThat(ProducerLayout.length(number)).isEqualTo(4);
        // the record ends before its brace, or the digits run to the array's end: another form
        assertThat(ProducerLayout.integerAt(record, last, record.length - 1)).isEqualTo(ProducerLayout.OTHER_FORM);
        byte[] noBrace = Arrays.copyOf(record, record.length - 1);
        assertThat(ProducerLayout.integerAt(noBrace, last, noBrace.length)).isEqualTo(ProducerLayout.OTHER_FORM);
    }

    private static int nextComma(byte[] record, int from) {
        int i = from;
        while (i < record.length && record[i] != ',') {
            i++;
        }
        return i;
    }
}
