package dev.kinesisaggs.function.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda's Kinesis event with a tumbling window, read from its JSON straight into a {@link ShardBatch}, and the
 * answer written as JSON: what the handler as a stream handler does instead of the runtime's own event serializer,
 * whose set-up (a Jackson object mapper with the event classes' mix-ins, built at the first event) took about
 * 0.35 s of a cold start at one vCPU. The fields are those AWS documents for the event ("Using tumbling windows" with
 * Kinesis): {@code Records[].kinesis.{sequenceNumber, partitionKey, data, approximateArrivalTimestamp}},
 * {@code Records[].eventID}, {@code window.{start, end}}, {@code state}, {@code shardId},
 * {@code isFinalInvokeForWindow}, {@code isWindowTerminatedEarly}; any other is skipped, as the serializer skips
 * what its classes lack. What it reads equals what {@link EventTranslator} makes of the serializer's event
 * (WindowEventJsonTest holds the two to it).
 */
public final class WindowEventJson {

    /** The runtime owns the streams: it closes them. */
    private static final JsonFactory JSON = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private WindowEventJson() {
    }

    /** The batch the event holds. */
    public static ShardBatch read(InputStream in) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the event");
            List<KinesisRecordIn> records = List.of();
            String firstEventId = null;
            String shardId = null;
            String start = null;
            String end = null;
            Map<String, String> state = null;
            boolean finalInvoke = false;
            boolean terminatedEarly = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "Records" -> {
                        if (value == JsonToken.START_ARRAY) {
                            records = new ArrayList<>();
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                String[] eventId = new String[1];
                                records.add(record(p, eventId));
                                if (firstEventId == null) {
                                    firstEventId = eventId[0];
                                }
                            }
                        }
                    }
                    case "window" -> {
                        if (value == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String name = p.currentName();
                                p.nextToken();
                                if (name.equals("start")) {
                                    start = text(p);
                                } else if (name.equals("end")) {
                                    end = text(p);
                                } else {
                                    p.skipChildren();
                                }
                            }
                        }
                    }
                    case "state" -> state = value == JsonToken.START_OBJECT ? state(p) : null;
                    case "shardId" -> shardId = text(p);
                    case "isFinalInvokeForWindow" -> finalInvoke = value == JsonToken.VALUE_TRUE;
                    case "isWindowTerminatedEarly" -> terminatedEarly = value == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            if ((shardId == null || shardId.isEmpty()) && firstEventId != null) {
                shardId = EventTranslator.shardOfEventId(firstEventId);
            }
            return new ShardBatch(shardId == null ? "" : shardId, start, end, state, finalInvoke, terminatedEarly, records);
        }
    }

    /** One element of {@code Records}, the parser on its START_OBJECT; its eventID into {@code eventId[0]}. */
    private static KinesisRecordIn record(JsonParser p, String[] eventId) throws IOException {
        String sequenceNumber = null;
        String partitionKey = null;
        Instant arrival = null;
        byte[] data = new byte[0];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("eventID")) {
                eventId[0] = text(p);
            } else if (field.equals("kinesis") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "sequenceNumber" -> sequenceNumber = text(p);
                        case "partitionKey" -> partitionKey = text(p);
                        case "data" -> data = v == JsonToken.VALUE_NULL ? new byte[0] : Base64.getDecoder().decode(p.getText());
                        // seconds since the epoch, with a fraction: a Date of whole milliseconds, as the serializer makes it
                        case "approximateArrivalTimestamp" -> arrival = v == JsonToken.VALUE_NULL ? null
                                : Instant.ofEpochMilli(new BigDecimal(p.getText()).movePointRight(3).longValue());
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (sequenceNumber == null) {
            throw new IOException("a record of the event has no kinesis.sequenceNumber");
        }
        return new KinesisRecordIn(sequenceNumber, partitionKey, arrival, data);
    }

    private static Map<String, String> state(JsonParser p) throws IOException {
        Map<String, String> state = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                throw new IOException("the event's state." + key + " is not a text, a number or a boolean");
            }
            state.put(key, text(p));
        }
        return state;
    }

    /** A scalar as text ({@code null} for JSON's null), as the serializer reads a String field. */
    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw new IOException(what + " is not a JSON object");
        }
    }

    /** The answer: {@code {"state": {...}, "batchItemFailures": []}}, as the runtime writes a TimeWindowEventResponse. */
    public static void writeResponse(Map<String, String> state, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("state");
            for (Map.Entry<String, String> e : state.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("batchItemFailures");
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
