package dev.kinesisaggs.core.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.core.trip.Trip;
import java.io.Reader;
import java.io.StringReader;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TripCsvReaderTest {

    static final String FIRST = "id0190469,2,1/1/2016 0:00,1/1/2016 0:14,5,-73.98174286,40.71915817,-73.93882751,"
            + "40.82918167,N,7.928829612,849,15309,1109";
    static final Trip FIRST_TRIP = new Trip("id0190469", 2, LocalDateTime.of(2016, 1, 1, 0, 0),
            LocalDateTime.of(2016, 1, 1, 0, 14), 5, -73.98174286, 40.71915817, -73.93882751, 40.82918167, "N",
            7.928829612, 849L, 15309L, 1109L);

    private static List<CsvRow> rows(String text) {
        try (TripCsvReader reader = new TripCsvReader(new StringReader(text), "test.csv")) {
            return reader.rows().collect(Collectors.toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CsvRow.Bad bad(String line) {
        List<CsvRow> rows = rows(TripCsv.HEADER + "\n" + line + "\n");
        assertThat(rows).hasSize(1).first().isInstanceOf(CsvRow.Bad.class);
        return (CsvRow.Bad) rows.get(0);
    }

    @Test
    void a_workshop_line_is_a_clean_trip_numbered_from_the_header_line() {
        List<CsvRow> rows = rows(TripCsv.HEADER + "\r\n" + FIRST + "\r\n");
        assertThat(rows).containsExactly(new CsvRow.Clean(2, FIRST_TRIP));
    }

    @Test
    void empty_google_columns_give_absent_values_in_a_clean_trip() {
        CsvRow row = rows(TripCsv.HEADER + "\n" + FIRST.replace(",15309,1109", ",,") + "\n").get(0);
        assertThat(row).isInstanceOf(CsvRow.Clean.class);
        Trip t = ((CsvRow.Clean) row).trip();
        assertThat(t.googleDistance()).isNull();
        assertThat(t.googleDuration()).isNull();
        assertThat(t.tripDuration()).isEqualTo(849L);
    }

    @Test
    void blank_lines_are_skipped_but_keep_their_line_numbers() {
        List<CsvRow> rows = rows(TripCsv.HEADER + "\n\n" + FIRST + "\n   \n" + FIRST.replace("id0190469", "id2") + "\n\n");
        assertThat(rows).extracting(CsvRow::lineNumber).containsExactly(3L, 5L);
    }

    @Test
    void columns_are_found_by_name_in_any_order_and_extra_columns_are_ignored() {
        String header = "vendor_id,extra," + TripCsv.HEADER.replace("vendor_id,", "");
        String line = "2,whatever," + FIRST.replaceFirst(",2,", ",");
        assertThat(rows(header + "\n" + line)).containsExactly(new CsvRow.Clean(2, FIRST_TRIP));
    }

    @Test
    void a_whole_number_is_read_however_written_as_a_json_trip_s_is() {
        CsvRow row = rows(TripCsv.HEADER + "\n" + FIRST.replaceFirst(",2,", ",2.0,").replace(",5,", ",5e0,")).get(0);
        assertThat(row).isEqualTo(new CsvRow.Clean(2, FIRST_TRIP));
    }

    @Test
    void dates_may_carry_seconds() {
        CsvRow row = rows(TripCsv.HEADER + "\n" + FIRST.replace("1/1/2016 0:14", "1/1/2016 0:14:58")).get(0);
        assertThat(((CsvRow.Clean) row).trip().dropoffDate()).isEqualTo(LocalDateTime.of(2016, 1, 1, 0, 14, 58));
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            ",1109|,1109,extra,values|the line has 16 values but the header has 14 columns",
            ",15309,1109|,15309|the line has 13 values but the header has 14 columns",
            ",5,|,x,|passenger_count \"x\" is not a whole number",
            ",5,|,1.5,|passenger_count \"1.5\" is not a whole number",
            ",5,|,1e400,|passenger_count \"1e400\" is out of range",
            ",5,|,1e40,|passenger_count \"1e40\" is out of range",
            "2,1/1|9223372036854775808,1/1|vendor_id \"9223372036854775808\" is out of range",
            "2,1/1|-9223372036854775809,1/1|vendor_id \"-9223372036854775809\" is out of range",
            "5,-73.98174286|5,abc|pickup_longitude \"abc\" is not a number",
            "-73.98174286|NaN|pickup_longitude \"NaN\" is not a number",
            "-73.98174286|1e-400|pickup_longitude 1e-400 is too small for DynamoDB to store (a number other than 0 is at least 1E-130)",
            "1/1/2016 0:14|2016-01-01 00:14|dropoff_datetime \"2016-01-01 00:14\" is not a date like 1/1/2016 0:14 or 1/1/16 0:14",
            "1/1/2016 0:00|2/30/2016 0:00|pickup_datetime \"2/30/2016 0:00\" is not a date like 1/1/2016 0:14 or 1/1/16 0:14",
            "1/1/2016 0:00|1/1/2016 24:00|pickup_datetime \"1/1/2016 24:00\" is not a date like 1/1/2016 0:14 or 1/1/16 0:14",
            "id0190469|''|id is empty",
            ",5,|,,|passenger_count is empty",
            ",5,|,12,|passenger_count 12 is outside 0..9",
            "2,1/1|0,1/1|vendor_id 0 is outside 1..2147483647",
            ",849,|,-849,|trip_duration -849 is negative",
            "1/1/2016 0:14|12/31/2015 23:00|dropoff_datetime 2015-12-31T23:00:00 is before pickup_datetime 2016-01-01T00:00:00",
            ",N,|,X,|store_and_fwd_flag \"X\" is neither Y nor N"})
    void a_bad_row_keeps_its_raw_line_and_says_why(String replace, String with, String reason) {
        String line = FIRST.replaceFirst(java.util.regex.Pattern.quote(replace), with.equals("''") ? "" : with);
        CsvRow.Bad bad = bad(line);
        assertThat(bad.lineNumber()).isEqualTo(2);
        assertThat(bad.line()).isEqualTo(line);
        assertThat(bad.reason()).isEqualTo(reason);
    }

    @Test
    void a_file_without_the_workshop_header_is_refused_with_what_to_do() {
        assertThatThrownBy(() -> rows("id,vendor_id\n1,2\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test.csv is not a workshop trip CSV: its first line lacks the column(s) "
                        + "pickup_datetime,dropoff_datetime,")
                .hasMessageEndingWith("; give a file whose header is " + TripCsv.HEADER);
        assertThatThrownBy(() -> rows("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test.csv is empty; give a workshop trip CSV");
    }

    @Test
    void a_line_that_is_not_utf8_is_a_bad_row_of_its_own_and_the_lines_after_it_are_read(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("latin1.csv");
        byte[] latin1 = (FIRST.replace("id0190469", "caf\u00e9") + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes((TripCsv.HEADER + "\r\n" + FIRST + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes.writeBytes(latin1);
        bytes.writeBytes((FIRST.replace("id0190469", "caf\u00e9") + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.nio.file.Files.write(file, bytes.toByteArray());

        try (TripCsvReader reader = TripCsvReader.open(file)) {
            List<CsvRow> rows = reader.rows().toList();
            assertThat(rows).extracting(CsvRow::lineNumber).containsExactly(2L, 3L, 4L);
            assertThat(rows.get(0)).isInstanceOf(CsvRow.Clean.class);
            assertThat(rows.get(1)).isEqualTo(new CsvRow.Bad(3, FIRST.replace("id0190469", "caf\ufffd"),
                    "the line is not UTF-8 text (a byte no UTF-8 character has)", java.util.Arrays.copyOf(latin1, latin1.length - 2)));
            assertThat(rows.get(2)).isInstanceOfSatisfying(CsvRow.Clean.class, c -> assertThat(c.trip().id()).isEqualTo("caf\u00e9"));
        }
    }

    @Test
    void a_file_whose_first_line_is_not_utf8_is_refused_with_what_to_do(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("binary.csv");
        java.nio.file.Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\n', 'a'});
        assertThatThrownBy(() -> TripCsvReader.open(file).close()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("binary.csv is not UTF-8 text (its first line is not): give a workshop trip CSV, saved as UTF-8");
    }

    @Test
    void rows_are_read_lazily_one_line_at_a_time() {
        // an endless input: only a lazy reader can return the first rows
        Reader endless = new Reader() {
            private final String header = TripCsv.HEADER + "\n";
            private long pos;

            @Override
            public int read(char[] buf, int off, int len) {
                for (int i = 0; i < len; i++) {
                    buf[off + i] = pos < header.length() ? header.charAt((int) pos)
                            : (FIRST + "\n").charAt((int) ((pos - header.length()) % (FIRST.length() + 1)));
                    pos++;
                }
                return len;
            }

            @Override
            public void close() {
            }
        };
        TripCsvReader reader = new TripCsvReader(endless, "endless");
        assertThat(reader.rows().limit(3)).extracting(CsvRow::lineNumber).containsExactly(2L, 3L, 4L);
    }
}
