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
            int value = ProducerLayout.valueStart(record, pos, record.length, field);
            assertThat(value).as("field %d at %d", field, pos).isPositive();
            pos = nextComma(record, value);
            values.append(RECORD, value, pos).append('|');
        }
        assertThat(values).hasToString("\"id0190469\"|2|\"2016-01-01T00:00:00\"|\"2016-01-01T00:14:00\"|5|-73.98174|"
                + "40.71916|-73.93883|40.82918|\"N\"|7.9288297|849|15309|1109}|");
    }

    @Test
    void refusesAnythingButThePunctuationAndNameExpectedThere() {
        byte[] record = RECORD.getBytes(StandardCharsets.US_ASCII);
        assertThat(ProducerLayout.valueStart(record, 0, record.length, 1)).as("another field's name").isEqualTo(-1);
        byte[] blank = "{ \"id\":\"a\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProducerLayout.valueStart(blank, 0, blank.length, 0)).as("a blank").isEqualTo(-1);
        byte[] otherCase = RECORD.replace("\"vendorId\"", "\"vendorID\"").getBytes(StandardCharsets.US_ASCII);
        int vendorAt = RECORD.indexOf(",\"vendorId\"");
        assertThat(ProducerLayout.valueStart(otherCase, vendorAt, otherCase.length, 1)).as("one letter").isEqualTo(-1);
        byte[] noColon = RECORD.replace("\"vendorId\":", "\"vendorId\" ").getBytes(StandardCharsets.US_ASCII);
        assertThat(ProducerLayout.valueStart(noColon, vendorAt, noColon.length, 1)).as("the colon").isEqualTo(-1);
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
            assertThat(ProducerLayout.valueStart(buffer, last, end, 13)).as("end at %d", end).isEqualTo(-1);
        }
        assertThat(ProducerLayout.valueStart(buffer, last, prefixEnd, 13)).isEqualTo(prefixEnd);
        // fewer than 24 bytes left in the array: compared byte by byte, with the same answers
        byte[] tail = Arrays.copyOfRange(record, last, record.length);
        assertThat(tail.length).isLessThan(24);
        assertThat(ProducerLayout.valueStart(tail, 0, tail.length, 13)).isEqualTo(prefixEnd - last);
        assertThat(ProducerLayout.valueStart(tail, 0, prefixEnd - last - 1, 13)).isEqualTo(-1);
        assertThat(ProducerLayout.valueStart(tail, 0, tail.length, 12)).isEqualTo(-1);
    }

    private static int nextComma(byte[] record, int from) {
        int i = from;
        while (i < record.length && record[i] != ',') {
            i++;
        }
        return i;
    }
}
