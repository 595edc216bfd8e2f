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
 * {@code passengers}, {@code trips}, and {@code distance}/{@code duration} when the item has them; a window that a shard
 * has not completed (its final invoke to come, or given up) has {@code "complete": false}, its sums those of the other
 * shards.
 */
public final class AggregatesJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AggregatesJson() {
    }

    public static String render(List<WindowAggregate> windows, Set<Instant> incompleteWindows, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (pretty) {
                json.useDefaultPrettyPrinter();
            }
            write(json, windows, incompleteWindows);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return pretty ? out + "\n" : out.toString();
    }

    /** Writes the array into a generator that the caller owns (the dashboard nests it in a larger object). */
    public static void write(JsonGenerator json, List<WindowAggregate> windows, Set<Instant> incompleteWindows) throws IOException {
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
            if (incompleteWindows.contains(w.windowStart())) {
                json.writeBooleanField("complete", false);
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
