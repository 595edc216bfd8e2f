package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.csv.CsvRow;
import dev.kinesisaggs.core.csv.TripCsvReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every trip of the workshop's real data set, as the producers write it, takes the fast path to the same trip; in the
 * numbers form nearly all at once, in the producers' layout.
 */
class TripScannerWorkshopDataTest {

    private static final int ROWS = 39_396;

    private static List<Trip> trips;

    @BeforeAll
    static void readTheDataSet() throws IOException {
        String property = System.getProperty("kinesisaggs.tripsCsv");
        Assumptions.assumeTrue(property != null && Files.isReadable(Path.of(property)),
                "the workshop data set is absent (system property kinesisaggs.tripsCsv = " + property
                        + "): these tests need the real taxi-trips.csv and are skipped");
        trips = new ArrayList<>();
        try (TripCsvReader reader = TripCsvReader.open(Path.of(property))) {
            for (CsvRow row : reader) {
                trips.add(((CsvRow.Clean) row).trip());
            }
        }
        assertThat(trips).hasSize(ROWS);
    }

    @Test
    void every_record_in_the_numbers_form_takes_the_fast_path_to_the_same_trip() {
        assertAllFast(false);
    }

    @Test
    void every_record_in_the_all_strings_form_takes_the_fast_path_to_the_same_trip() {
        assertAllFast(true);
    }

    private static void assertAllFast(boolean allStrings) {
        TripParser parser = new TripParser();
        TripScanner scanner = new TripScanner();
        int fast = 0;
        for (Trip trip : trips) {
            byte[] record = allStrings ? TripJson.toBytesAllStrings(trip) : TripJson.toBytes(trip);
            TripResult scanned = scanner.scan(record, 0, record.length);
            assertThat(scanned).as("trip %s", trip.id()).isNotNull();
            assertThat(scanned).isEqualTo(trip).isEqualTo(parser.parseWithJacksonOnly(record, 0, record.length));
            assertThat(parser.parse(record)).isEqualTo(trip);
            fast++;
        }
        assertThat(fast).isEqualTo(ROWS);
        if (!allStrings) {
            // read in the producers' layout at once, not again the general way: all but the trips without their Google
            // fields and those whose tiny distance Java writes with an exponent (4.787E-4), 592 of them
            assertThat(scanner.readAgain).as("records read again the general way").isLessThan(ROWS / 50);
        }
    }
}
