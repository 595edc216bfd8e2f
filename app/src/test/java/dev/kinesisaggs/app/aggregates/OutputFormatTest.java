package dev.kinesisaggs.app.aggregates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutputFormatTest {

    private static final WindowAggregate VENDOR_1 = WindowAggregate.of(1,
            Instant.parse("2016-01-01T00:00:00Z"), Instant.parse("2016-01-01T00:00:30Z"), 7, 5);
    private static final WindowAggregate VENDOR_2 = new WindowAggregate(2,
            Instant.parse("2016-01-01T00:00:00Z"), Instant.parse("2016-01-01T00:00:30Z"), 1234, 987,
            Optional.of(new BigDecimal("3021.75")), Optional.of(new BigDecimal("580123")));

    @Test
    void tableAlignsTextLeftAndNumbersRightAndGivesTheUnits() {
        String table = OutputFormat.TABLE.render(List.of(VENDOR_1, VENDOR_2), Set.of());

        assertThat(table).isEqualTo(String.join("\n",
                "vendor  window start          window end            passengers  trips  distance (miles)  duration (s)",
                "     1  2016-01-01T00:00:00Z  2016-01-01T00:00:30Z           7      5",
                "     2  2016-01-01T00:00:00Z  2016-01-01T00:00:30Z        1234    987           3021.75        580123",
                ""));
    }

    @Test
    void tableLeavesOutDistanceAndDurationWhenNoWindowHasThem() {
        String table = OutputFormat.TABLE.render(List.of(VENDOR_1), Set.of());

        assertThat(table.lines().findFirst().orElseThrow())
                .isEqualTo("vendor  window start          window end            passengers  trips");
    }

    @Test
    void tableSaysSoWhenThereAreNoWindows() {
        assertThat(OutputFormat.TABLE.render(List.of(), Set.of())).isEqualTo("No windows.\n");
    }

    @Test
    void csvHasAFixedHeaderAndEmptyFieldsForAbsentSums() {
        String csv = OutputFormat.CSV.render(List.of(VENDOR_1, VENDOR_2), Set.of());

        assertThat(csv).isEqualTo(
                "vendorId,windowStart,windowEnd,passengers,trips,distance,duration\r\n"
                        + "1,2016-01-01T00:00:00Z,2016-01-01T00:00:30Z,7,5,,\r\n"
                        + "2,2016-01-01T00:00:00Z,2016-01-01T00:00:30Z,1234,987,3021.75,580123\r\n");
    }

    @Test
    void jsonIsAnArrayOfOneObjectPerVendorAndWindow() throws IOException {
        List<Map<String, String>> objects = parse(OutputFormat.JSON.render(List.of(VENDOR_1, VENDOR_2), Set.of()));

        assertThat(objects).containsExactly(
                Map.of("vendorId", "1", "windowStart", "2016-01-01T00:00:00Z", "windowEnd", "2016-01-01T00:00:30Z",
                        "passengers", "7", "trips", "5"),
                Map.of("vendorId", "2", "windowStart", "2016-01-01T00:00:00Z", "windowEnd", "2016-01-01T00:00:30Z",
                        "passengers", "1234", "trips", "987", "distance", "3021.75", "duration", "580123"));
    }

    /** A window with the sums of some shards only says so in its rows, for a script that reads the JSON alone (found by a probe). */
    @Test
    void jsonMarksTheRowsOfAWindowWithTheSumsOfSomeShardsOnly() throws IOException {
        WindowAggregate next = WindowAggregate.of(1, Instant.parse("2016-01-01T00:00:30Z"), Instant.parse("2016-01-01T00:01:00Z"), 2, 1);
        List<Map<String, String>> objects = parse(OutputFormat.JSON.render(List.of(VENDOR_1, VENDOR_2, next),
                Set.of(VENDOR_1.windowStart())));

        assertThat(objects).extracting(o -> o.get("partial")).containsExactly("true", "true", null);
        assertThat(OutputFormat.CSV.render(List.of(VENDOR_1), Set.of(VENDOR_1.windowStart())))
                .as("the CSV's columns are fixed: the note on standard error says it")
                .isEqualTo(OutputFormat.CSV.render(List.of(VENDOR_1), Set.of()));
    }

    @Test
    void jsonOfNoWindowsIsAnEmptyArray() throws IOException {
        assertThat(parse(OutputFormat.JSON.render(List.of(), Set.of()))).isEmpty();
    }

    /** A flat reading of an array of flat objects: field name to its text, numbers as written. */
    static List<Map<String, String>> parse(String json) throws IOException {
        List<Map<String, String>> objects = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, parser.getText());
                }
                objects.add(object);
            }
        }
        return objects;
    }
}
