package dev.kinesisaggs.app.aggregates;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Renders windows as a JSON array: {@code vendorId}, {@code windowStart}, {@code windowEnd},
 * {@code passengers}, {@code trips}, and {@code distance}/{@code duration} when the item has them; a window whose sums
 * are those of some shards only, another not having completed it (its final invoke to come, or given up), has
 * {@code "partial": true}.
 */
public final class AggregatesJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AggregatesJson() {
    }

    public static String render(List<WindowAggregate> windows, Set<Instant> partialWindows, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            write(json, windows, partialWindows);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return pretty ? out + "\n" : out.toString();
    }

    /** Writes the array into a generator that the caller owns (the dashboard nests it in a larger object). */
    public static void write(JsonGenerator json, List<WindowAggregate> windows, Set<Instant> partialWindows) throws IOException {
        json.writeStartArray();
        for (WindowAggregate w : windows) {
            json.writeStartObject();
            json.writeNumberField("vendorId", w.vendorId());
            json.writeStringField("windowStart", w.windowStart().toString());
            json.writeStringField("windowEnd", w.windowEnd().toString());
            json.writeNumberField("passengers", w.passengers());
            json.writeNumberField("trips", w.trips());
            if (w.distance().isPresent()) {
                json.writeNumberField("distance", w.distance().get());
            }
            if (w.duration().isPresent()) {
                json.writeNumberField("duration", w.duration().get());
            }
            if (partialWindows.contains(w.windowStart())) {
                json.writeBooleanField("partial", true);
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
