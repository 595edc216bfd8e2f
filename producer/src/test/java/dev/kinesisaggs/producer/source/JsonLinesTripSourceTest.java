package dev.kinesisaggs.producer.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import java.io.IOException;
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
            assertThat(source.next()).contains(new SourceItem.GoodTrip(a));
            SourceItem.BadRow bad = (SourceItem.BadRow) source.next().orElseThrow();
            assertThat(bad.lineNumber()).isEqualTo(3);
            assertThat(bad.rawLine()).isEqualTo("{\"id\":\"id1\",\"vendorId\":");
            assertThat(bad.reason()).isNotBlank();
            assertThat(source.next()).contains(new SourceItem.GoodTrip(b));
            assertThat(source.next()).isEmpty();
        }
    }
}
