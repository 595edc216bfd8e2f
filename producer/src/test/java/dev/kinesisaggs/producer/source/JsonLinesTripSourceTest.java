package dev.kinesisaggs.producer.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTripSourceTest {

    @TempDir
    Path dir;

    @Test
    void eachLineIsATripOrABadRowWithItsLineNumber() throws IOException {
        SyntheticTripSource generator = new SyntheticTripSource(5);
        Trip a = generator.nextTrip();
        Trip b = generator.nextTrip();
        Path file = dir.resolve("trips.jsonl");
        Files.write(file, List.of(TripJson.toJson(a), "", "{\"id\":\"id1\",\"vendorId\":", TripJson.toJson(b)));

        try (JsonLinesTripSource source = JsonLinesTripSource.open(file)) {
            assertThat(source.next()).contains(new SourceItem.GoodTrip(a, 1));
            SourceItem.BadRow bad = (SourceItem.BadRow) source.next().orElseThrow();
            assertThat(bad.lineNumber()).isEqualTo(3);
            assertThat(bad.rawLine()).isEqualTo("{\"id\":\"id1\",\"vendorId\":");
            assertThat(bad.reason()).isNotBlank();
            assertThat(source.next()).contains(new SourceItem.GoodTrip(b, 4));
            assertThat(source.next()).isEmpty();
        }
    }

    /** A line is input, not a Kinesis record: a clean trip is one however long its unknown fields make the line. */
    @Test
    void aCleanTripOnALineLongerThanAKinesisRecordIsATrip() throws IOException {
        Trip a = new SyntheticTripSource(7).nextTrip();
        String json = TripJson.toJson(a);
        String padded = json.substring(0, json.length() - 1) + ",\"pad\":\"" + "x".repeat(2_000_000) + "\"}";
        Path file = dir.resolve("padded.jsonl");
        Files.writeString(file, padded + "\n");

        try (JsonLinesTripSource source = JsonLinesTripSource.open(file)) {
            assertThat(source.next()).contains(new SourceItem.GoodTrip(a, 1));
        }
    }

    /** A record off a stream may hold any bytes: a line that is not UTF-8 is a bad row with its bytes, not the end of the file. */
    @Test
    void aLineThatIsNotUtf8IsABadRowKeptByteForByteAndTheLinesAfterItAreRead() throws IOException {
        SyntheticTripSource generator = new SyntheticTripSource(6);
        Trip a = generator.nextTrip();
        Trip b = generator.nextTrip();
        byte[] notUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, (byte) 0xC3, '"', '}'};
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(TripJson.toBytes(a));
        file.write('\n');
        file.write(notUtf8);
        file.write("\r\n \t\r\n".getBytes(StandardCharsets.US_ASCII)); // CRLF, then a blank line
        file.write(TripJson.toBytes(b)); // the last line has no terminator
        Path path = dir.resolve("records.jsonl");
        Files.write(path, file.toByteArray());

        try (JsonLinesTripSource source = JsonLinesTripSource.open(path)) {
            assertThat(source.next()).contains(new SourceItem.GoodTrip(a, 1));
            SourceItem.BadRow bad = (SourceItem.BadRow) source.next().orElseThrow();
            assertThat(bad.lineNumber()).isEqualTo(2);
            assertThat(bad.bytes()).isEqualTo(notUtf8);
            assertThat(bad.reason()).contains("not valid UTF-8");
            assertThat(bad.rawLine()).isEqualTo("{\"id\":\"\uFFFD\uFFFD\"}");
            assertThat(source.next()).contains(new SourceItem.GoodTrip(b, 4));
            assertThat(source.next()).isEmpty();
        }
    }
}
