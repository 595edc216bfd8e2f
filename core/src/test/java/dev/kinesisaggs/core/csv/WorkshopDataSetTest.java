package dev.kinesisaggs.core.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowAccumulator;
import dev.kinesisaggs.core.window.WindowTotals;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Over the workshop's real data set, when it is beside the repository (a user's clone has none). */
class WorkshopDataSetTest {

    static final int ROWS = 39_396;
    static final int ROWS_WITHOUT_GOOGLE = 559;

    private static Path csv;
    private static List<CsvRow> rows;

    @BeforeAll
    static void readTheDataSet() throws IOException {
        String property = System.getProperty("kinesisaggs.tripsCsv");
        boolean present = property != null && Files.isReadable(Path.of(property));
        // CI lays shared/ beside its clone: there a missing data set is a broken set-up, not a user's clone
        Assertions.assertThat(present || !"true".equals(System.getenv("CI")))
                .as("on CI the workshop data set must be at kinesisaggs.tripsCsv = %s", property).isTrue();
        Assumptions.assumeTrue(present,
                "the workshop data set is absent (system property kinesisaggs.tripsCsv = " + property
                        + "): these tests need the real taxi-trips.csv and are skipped");
        csv = Path.of(property);
        try (TripCsvReader reader = TripCsvReader.open(csv)) {
            rows = reader.rows().toList();
        }
    }

    private static List<Trip> trips() {
        return rows.stream().map(r -> ((CsvRow.Clean) r).trip()).toList();
    }

    @Test
    void every_row_is_a_clean_trip_the_ones_without_google_values_included() {
        assertThat(rows).hasSize(ROWS);
        assertThat(rows).allSatisfy(r -> assertThat(r).isInstanceOf(CsvRow.Clean.class));
        List<Trip> trips = trips();
        assertThat(trips).filteredOn(t -> t.googleDistance() == null && t.googleDuration() == null)
                .hasSize(ROWS_WITHOUT_GOOGLE);
        assertThat(trips).filteredOn(t -> t.googleDistance() == null || t.googleDuration() == null)
                .hasSize(ROWS_WITHOUT_GOOGLE);
        assertThat(new HashSet<>(trips.stream().map(Trip::id).toList())).hasSize(ROWS);
        assertThat(rows.get(0).lineNumber()).isEqualTo(2);
        assertThat(rows.get(ROWS - 1).lineNumber()).isEqualTo(ROWS + 1);
    }

    @Test
    void the_workshop_repository_form_without_header_and_with_two_digit_years_gives_the_same_trips() throws IOException {
        // independent of our code: the repository's form made from ours by text replacement alone
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Pattern fourDigitYear = Pattern.compile("(\\d{1,2}/\\d{1,2}/)20(\\d\\d) ");
        List<String> repositoryForm = lines.subList(1, lines.size()).stream()
                .map(line -> fourDigitYear.matcher(line).replaceAll("$1$2 ")).toList();
        assertThat(repositoryForm).noneMatch(line -> line.contains("/2016 ")).allMatch(line -> line.contains("/16 "));

        assertThat(read(String.join("\n", repositoryForm) + "\n", new TripCsv.Form(false, TripCsv.Years.TWO_DIGIT)))
                .isEqualTo(trips());
    }

    @Test
    void every_value_quoted_with_crlf_line_ends_gives_the_same_trips() throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> quoted = lines.stream().map(line -> "\"" + line.replace(",", "\",\"") + "\"").toList();

        assertThat(read(String.join("\r\n", quoted), new TripCsv.Form(true, TripCsv.Years.FOUR_DIGIT)))
                .isEqualTo(trips());
    }

    /** The trips of a text that must be in the given form and all clean, checked to be numbered from its form. */
    private static List<Trip> read(String text, TripCsv.Form form) throws IOException {
        try (TripCsvReader reader = new TripCsvReader(new StringReader(text), "variant.csv")) {
            assertThat(reader.form()).isEqualTo(form);
            List<CsvRow> variant = reader.rows().toList();
            assertThat(variant).hasSize(ROWS).allSatisfy(r -> assertThat(r).isInstanceOf(CsvRow.Clean.class));
            assertThat(variant.get(0).lineNumber()).isEqualTo(form.header() ? 2 : 1);
            return variant.stream().map(r -> ((CsvRow.Clean) r).trip()).toList();
        }
    }

    @Test
    void every_trip_written_as_json_parses_back_to_the_same_trip_in_both_producer_styles() {
        TripParser parser = new TripParser();
        for (Trip t : trips()) {
            assertThat(parser.parse(TripJson.toBytes(t))).isEqualTo(t);
            assertThat(parser.parse(TripJson.toBytesAllStrings(t))).isEqualTo(t);
        }
    }

    @Test
    void window_sums_per_vendor_equal_sums_computed_independently_from_the_raw_text() throws IOException {
        // independent: plain split of the raw lines, exact decimals, no code of ours
        Map<Integer, long[]> counts = new TreeMap<>();
        Map<Integer, BigDecimal> miles = new TreeMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            int vendor = Integer.parseInt(f[1]);
            long[] c = counts.computeIfAbsent(vendor, v -> new long[3]);
            c[0] += Integer.parseInt(f[4]);
            c[1]++;
            c[2] += Long.parseLong(f[11]);
            miles.merge(vendor, new BigDecimal(f[10]), BigDecimal::add);
        }

        // ours: the folds of two halves (as two shards would), merged
        List<Trip> trips = trips();
        WindowAccumulator first = new WindowAccumulator();
        WindowAccumulator second = new WindowAccumulator();
        for (int i = 0; i < trips.size(); i++) {
            (i % 2 == 0 ? first : second).fold(trips.get(i));
        }
        WindowTotals totals = first.totals().merge(second.totals());

        assertThat(totals.byVendor().keySet()).containsExactlyElementsOf(counts.keySet());
        counts.forEach((vendor, c) -> {
            VendorTotals t = totals.vendor(vendor);
            assertThat(t.passengers()).as("passengers of vendor %d", vendor).isEqualTo(c[0]);
            assertThat(t.trips()).as("trips of vendor %d", vendor).isEqualTo(c[1]);
            assertThat(t.tripDurationSeconds()).as("duration of vendor %d", vendor).isEqualTo(c[2]);
            // each trip is rounded to the nearest micro-mile: at most half a micro-mile off per trip
            assertThat(t.gcDistanceMiles()).as("distance of vendor %d", vendor)
                    .isCloseTo(miles.get(vendor).doubleValue(), within(c[1] * 0.5e-6));
        });
    }
}
