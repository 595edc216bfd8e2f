package dev.kinesisaggs.core.csv;

import static dev.kinesisaggs.core.csv.TripCsvReaderTest.FIRST;
import static dev.kinesisaggs.core.csv.TripCsvReaderTest.FIRST_TRIP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.core.csv.TripCsv.Form;
import dev.kinesisaggs.core.csv.TripCsv.Years;
import dev.kinesisaggs.core.trip.Trip;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forms a trip CSV may come in: with our header or without one (the workshop repository's copy), years of four
 * or two digits, values quoted or not, any line ends, a byte order mark.
 */
class TripCsvFormsTest {

    /** The first trip as the workshop repository writes it: no header, two-digit years. */
    static final String FIRST_YY = FIRST.replace("/2016 ", "/16 ");
    static final String SECOND = "id1665586,1,1/1/2016 0:00,1/1/2016 0:22,1,-73.98508453,40.74716568,-73.95803833,"
            + "40.71749115,N,2.49248213,1294,9970,1277";
    static final Trip SECOND_TRIP = new Trip("id1665586", 1, LocalDateTime.of(2016, 1, 1, 0, 0),
            LocalDateTime.of(2016, 1, 1, 0, 22), 1, -73.98508453, 40.74716568, -73.95803833, 40.71749115, "N",
            2.49248213, 1294L, 9970L, 1277L);

    private static TripCsvReader reader(String text) {
        return new TripCsvReader(new StringReader(text), "test.csv");
    }

    private static List<CsvRow> rows(String text) {
        try (TripCsvReader reader = reader(text)) {
            return reader.rows().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Form form(String text) {
        try (TripCsvReader reader = reader(text)) {
            return reader.form();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "header {0}, years of {1} digits")
    @CsvSource({"true,4", "true,2", "false,4", "false,2"})
    void every_form_gives_the_same_trips_numbered_by_their_line_in_the_file(boolean header, int yearDigits) {
        String first = yearDigits == 2 ? FIRST_YY : FIRST;
        String second = yearDigits == 2 ? SECOND.replace("/2016 ", "/16 ") : SECOND;
        String text = (header ? TripCsv.HEADER + "\n" : "") + first + "\n" + second + "\n";
        long firstLine = header ? 2 : 1;

        assertThat(rows(text)).containsExactly(new CsvRow.Clean(firstLine, FIRST_TRIP),
                new CsvRow.Clean(firstLine + 1, SECOND_TRIP));
        assertThat(form(text)).isEqualTo(new Form(header, yearDigits == 2 ? Years.TWO_DIGIT : Years.FOUR_DIGIT));
    }

    @Test
    void the_form_is_said_in_words() {
        assertThat(new Form(false, Years.TWO_DIGIT).describe()).isEqualTo("workshop CSV without a header, two-digit years");
        assertThat(new Form(true, Years.FOUR_DIGIT).describe()).isEqualTo("workshop CSV with a header, four-digit years");
        assertThat(form(TripCsv.HEADER + "\n")).isEqualTo(new Form(true, Years.NOT_SEEN));
        assertThat(form(TripCsv.HEADER + "\n")).extracting(Form::describe).isEqualTo("workshop CSV with a header");
        // the years are told by the first trip row; a bad one tells nothing
        assertThat(form(TripCsv.HEADER + "\n\n" + FIRST.replace("1/1/2016 0:00", "x") + "\n" + FIRST_YY))
                .isEqualTo(new Form(true, Years.NOT_SEEN));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "1/1/16 0:14, 2016-01-01T00:14",
            "12/31/99 23:59:58, 2099-12-31T23:59:58",
            "2/29/00 0:00, 2000-02-29T00:00",
            "01/02/16 00:14, 2016-01-02T00:14"})
    void a_two_digit_year_is_of_the_2000s(String written, LocalDateTime read) {
        assertThat(TripCsv.parseDate(written)).isEqualTo(read);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1/1/6 0:14", "1/1/016 0:14", "1/1/02016 0:14", "2/29/01 0:00", "1/1/ 0:14"})
    void a_year_of_other_than_two_or_four_digits_is_no_date(String written) {
        assertThat(TripCsv.parseDate(written)).isNull();
    }

    @Test
    void a_row_may_mix_both_forms_of_year() {
        String line = FIRST.replace("1/1/2016 0:14", "1/1/16 0:14");
        assertThat(rows(line)).containsExactly(new CsvRow.Clean(1, FIRST_TRIP));
    }

    @Test
    void quoted_values_are_read_without_their_quotes_in_both_forms() {
        String quoted = "\"id0190469\",2,\"1/1/16 0:00\",\"1/1/16 0:14\",5,-73.98174286,40.71915817,-73.93882751,"
                + "40.82918167,\"N\",7.928829612,849,15309,\"1109\"";
        String quotedHeader = "\"" + TripCsv.HEADER.replace(",", "\",\"") + "\"";

        assertThat(rows(quoted)).containsExactly(new CsvRow.Clean(1, FIRST_TRIP));
        assertThat(form(quoted)).isEqualTo(new Form(false, Years.TWO_DIGIT));
        assertThat(rows(quotedHeader + "\n" + quoted)).containsExactly(new CsvRow.Clean(2, FIRST_TRIP));
    }

    @Test
    void a_quoted_value_may_hold_commas_and_doubled_quotes() {
        String line = "\"id,0190469 \"\"a\"\"\"" + FIRST.substring("id0190469".length());
        List<CsvRow> rows = rows(TripCsv.HEADER + "\n" + line + "\n");
        assertThat(rows).hasSize(1).first().isInstanceOf(CsvRow.Clean.class);
        assertThat(((CsvRow.Clean) rows.get(0)).trip().id()).isEqualTo("id,0190469 \"a\"");
        // and a first line that holds one is still a trip row of 14 values, not 15
        assertThat(rows(line)).extracting(CsvRow::lineNumber).containsExactly(1L);
    }

    @Test
    void a_quoted_empty_value_is_an_absent_value() {
        CsvRow row = rows(FIRST.replace(",15309,1109", ",\"\",\"\"")).get(0);
        assertThat(((CsvRow.Clean) row).trip().googleDistance()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"id0190469,2,1/1/2016 0:00",
            "\"id0190469\"x,2,1/1/2016 0:00",
            // the rest of a quoted value that a line break cut, and quotes in a value that is not quoted (RFC 4180)
            "second\",2,1/1/2016 0:00",
            "sec\"ond\",2,1/1/2016 0:00",
            "\"id0190469\",2,1/1/2016 0:00\""})
    void broken_quotes_make_a_bad_row_kept_as_written(String start) {
        String line = start + FIRST.substring("id0190469,2,1/1/2016 0:00".length());
        List<CsvRow> rows = rows(TripCsv.HEADER + "\n" + line + "\n" + FIRST + "\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).isEqualTo(new CsvRow.Bad(2, line, "a quoted value is not closed on its line, or has text after"
                + " its closing quote, or a value that is not quoted holds a quote"));
        assertThat(rows.get(1)).isEqualTo(new CsvRow.Clean(3, FIRST_TRIP));
    }

    @ParameterizedTest(name = "line ends {0}")
    @CsvSource({"CRLF", "LF", "CR"})
    void any_line_ends_are_line_ends(String ends) {
        String end = switch (ends) {
            case "CRLF" -> "\r\n";
            case "CR" -> "\r";
            default -> "\n";
        };
        String quoted = "\"" + SECOND.replace(",", "\",\"") + "\"";
        assertThat(rows(FIRST_YY + end + quoted + end)).containsExactly(new CsvRow.Clean(1, FIRST_TRIP),
                new CsvRow.Clean(2, SECOND_TRIP));
        assertThat(rows(TripCsv.HEADER + end + FIRST_YY + end + quoted)).containsExactly(
                new CsvRow.Clean(2, FIRST_TRIP), new CsvRow.Clean(3, SECOND_TRIP));
    }

    @Test
    void a_byte_order_mark_is_no_part_of_the_first_line() {
        assertThat(rows("\uFEFF" + TripCsv.HEADER + "\n" + FIRST)).containsExactly(new CsvRow.Clean(2, FIRST_TRIP));
        assertThat(rows("\uFEFF" + FIRST_YY)).containsExactly(new CsvRow.Clean(1, FIRST_TRIP));
        String bad = FIRST_YY.replace(",5,", ",x,");
        assertThat(rows("\uFEFF" + bad)).singleElement().isInstanceOfSatisfying(CsvRow.Bad.class,
                b -> assertThat(b.line()).isEqualTo(bad));
    }

    @Test
    void without_a_header_a_bad_row_says_how_many_values_a_trip_has() {
        String line = SECOND + ",extra";
        assertThat(rows(FIRST + "\n" + line)).last().isEqualTo(new CsvRow.Bad(2, line,
                "the line has 15 values but a trip has 14"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "name,age",
            "ada,36",
            "id0190469,2,2016-01-01 00:00,1/1/2016 0:14,5,-73.98,40.71,-73.93,40.82,N,7.9,849,15309,1109",
            "id0190469,2,1/1/2016 0:00,1/1/2016 0:14,5,-73.98,40.71,-73.93,40.82,N,7.9,849,15309",
            "\"id0190469,2,1/1/2016 0:00,1/1/2016 0:14,5,-73.98,40.71,-73.93,40.82,N,7.9,849,15309,1109"})
    void a_first_line_that_is_neither_the_header_nor_a_trip_is_refused_with_what_to_do(String first) {
        assertThatThrownBy(() -> rows(first + "\n" + FIRST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test.csv is not a workshop trip CSV: its first line is neither the header nor a trip row"
                        + " (14 values, the third a date like 1/1/2016 0:14); give a file whose header is "
                        + TripCsv.HEADER + ", or whose lines are trips in these columns without it");
    }

    @Test
    void a_first_line_that_names_a_column_is_a_header_and_must_name_them_all() {
        assertThatThrownBy(() -> rows("id," + FIRST.substring(FIRST.indexOf(',') + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("test.csv is not a workshop trip CSV: its first line lacks the column(s) vendor_id,");
    }

    @Test
    void rows_without_a_header_are_read_lazily_too() {
        Reader endless = new Reader() {
            private final String line = FIRST_YY + "\n";
            private long pos;

            @Override
            public int read(char[] buf, int off, int len) {
                for (int i = 0; i < len; i++) {
                    buf[off + i] = line.charAt((int) (pos++ % line.length()));
                }
                return len;
            }

            @Override
            public void close() {
            }
        };
        TripCsvReader reader = new TripCsvReader(endless, "endless");
        assertThat(reader.form()).isEqualTo(new Form(false, Years.TWO_DIGIT));
        assertThat(reader.rows().limit(3)).extracting(CsvRow::lineNumber).containsExactly(1L, 2L, 3L);
    }
}
