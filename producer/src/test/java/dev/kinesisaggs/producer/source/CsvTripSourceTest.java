package dev.kinesisaggs.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kinesisaggs.core.csv.TripCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTripSourceTest {

    @TempDir
    Path dir;

    private static List<SourceItem> readAll(TripSource source) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        for (Optional<SourceItem> item = source.next(); item.isPresent(); item = source.next()) {
            items.add(item.get());
        }
        return items;
    }

    @Test
    void rowsBecomeTripsAndABadRowKeepsItsLineNumberAndText() throws IOException {
        Path csv = dir.resolve("trips.csv");
        String bad = "id0000002,2,1/1/2016 0:01,1/1/2016 0:03,many,-73.97,40.76,-73.97,40.76,N,0.18,114,289,79";
        Files.writeString(csv, TripCsv.HEADER + "\n"
                + "id0190469,2,1/1/2016 0:00,1/1/2016 0:14,5,-73.98174286,40.71915817,-73.93882751,40.82918167,N,7.928829612,849,15309,1109\n"
                + bad + "\n"
                + "id0000003,1,1/1/2016 0:02,1/1/2016 0:20,1,-73.98,40.74,-73.95,40.71,N,2.49,1080,,\n");
        try (CsvTripSource source = CsvTripSource.open(csv)) {
            List<SourceItem> items = readAll(source);
            assertThat(items).hasSize(3);
            var first = ((SourceItem.GoodTrip) items.get(0)).trip();
            assertThat(first.id()).isEqualTo("id0190469");
            assertThat(first.pickupDate()).isEqualTo(LocalDateTime.of(2016, 1, 1, 0, 0));
            assertThat(first.passengerCount()).isEqualTo(5);
            var row = (SourceItem.BadRow) items.get(1);
            assertThat(row.lineNumber()).isEqualTo(3);
            assertThat(row.rawLine()).isEqualTo(bad);
            assertThat(row.reason()).contains("passenger_count");
            var noGoogle = ((SourceItem.GoodTrip) items.get(2)).trip();
            assertThat(noGoogle.googleDistance()).isNull();
            assertThat(source.describe()).isEqualTo("trips.csv");
        }
    }

    /** What --send-bad-rows sends of a line that is not UTF-8 is the line as it was in the file, not U+FFFD. */
    @Test
    void aLineThatIsNotUtf8IsABadRowWithItsBytesAsInTheFile() throws IOException {
        Path csv = dir.resolve("latin1.csv");
        String good = "id0190469,2,1/1/2016 0:00,1/1/2016 0:14,5,-73.98174286,40.71915817,-73.93882751,40.82918167,N,7.9,849,15309,1109";
        byte[] latin1 = good.replace("id0190469", "caf\u00e9").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.writeBytes((TripCsv.HEADER + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        file.writeBytes(latin1);
        file.writeBytes(("\n" + good + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(csv, file.toByteArray());

        try (CsvTripSource source = CsvTripSource.open(csv)) {
            List<SourceItem> items = readAll(source);
            var row = (SourceItem.BadRow) items.get(0);
            assertThat(row.lineNumber()).isEqualTo(2);
            assertThat(row.bytes()).isEqualTo(latin1);
            assertThat(row.rawLine()).startsWith("caf\ufffd,");
            assertThat(items.get(1)).isInstanceOf(SourceItem.GoodTrip.class);
        }
    }

    @Test
    void aFileWithoutAHeaderAndWithTwoDigitYearsIsReadAndItsFormTold() throws IOException {
        Path csv = dir.resolve("repository.csv");
        Files.writeString(csv, "id0190469,2,1/1/16 0:00,1/1/16 0:14,5,-73.98174286,40.71915817,-73.93882751,40.82918167,"
                + "N,7.928829612,849,15309,1109\r\n");
        try (CsvTripSource source = CsvTripSource.open(csv)) {
            assertThat(source.form().describe()).isEqualTo("workshop CSV without a header, two-digit years");
            assertThat(readAll(source)).singleElement()
                    .isInstanceOfSatisfying(SourceItem.GoodTrip.class, good -> assertThat(good.trip().dropoffDate())
                            .isEqualTo(LocalDateTime.of(2016, 1, 1, 0, 14)));
        }
    }

    @Test
    void theRealDataSetIs39396CleanTripsWithUniqueIds() throws IOException {
        String property = System.getProperty("kinesisaggs.tripsCsv");
        assumeThat(property != null && Files.isRegularFile(Path.of(property)))
                .as("the real data set (system property kinesisaggs.tripsCsv) is not on this machine")
                .isTrue();
        try (CsvTripSource source = CsvTripSource.open(Path.of(property))) {
            List<SourceItem> items = readAll(source);
            assertThat(items).hasSize(39_396).allMatch(i -> i instanceof SourceItem.GoodTrip);
            Set<String> ids = new HashSet<>();
            items.forEach(i -> ids.add(((SourceItem.GoodTrip) i).trip().id()));
            assertThat(ids).hasSize(39_396);
        }
    }
}
