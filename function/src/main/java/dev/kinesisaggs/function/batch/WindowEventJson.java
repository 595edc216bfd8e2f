package dev.kinesisaggs.function.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
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

    /** The batch the event holds; an IOException naming the field for what is not the event's JSON. */
    public static ShardBatch read(InputStream in) throws IOException {
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the event is not a JSON object");
            }
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
                            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                                if (t != JsonToken.START_OBJECT) {
                                    throw new IOException("Records[" + records.size() + "] is not a JSON object");
                                }
                                Read read = record(p, records.size());
                                records.add(read.record());
                                if (firstEventId == null) {
                                    firstEventId = read.eventId();
                                }
                            }
                        } else {
                            notNull(value, "Records");
                        }
                    }
                    case "window" -> {
                        if (value == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String name = p.currentName();
                                p.nextToken();
                                if (name.equals("start")) {
                                    start = text(p, "window.start");
                                } else if (name.equals("end")) {
                                    end = text(p, "window.end");
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            notNull(value, "window");
                        }
                    }
                    case "state" -> {
                        if (value == JsonToken.START_OBJECT) {
                            state = state(p);
                        } else if (value == JsonToken.START_ARRAY) {
                            // an empty array is read as no state, as the serializer reads it (ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
                            if (p.nextToken() != JsonToken.END_ARRAY) {
                                throw new IOException("state is an array with elements, not an object");
                            }
                        } else {
                            notNull(value, "state");
                        }
                    }
                    case "shardId" -> shardId = text(p, "shardId");
                    case "isFinalInvokeForWindow" -> finalInvoke = value == JsonToken.VALUE_TRUE;
                    case "isWindowTerminatedEarly" -> terminatedEarly = value == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("the event's JSON does not end where its object does");
            }
            if ((shardId == null || shardId.isEmpty()) && firstEventId != null) {
                shardId = EventTranslator.shardOfEventId(firstEventId);
            }
            return new ShardBatch(shardId == null ? "" : shardId, start, end, state, finalInvoke, terminatedEarly, records);
        } catch (JsonProcessingException e) {
            throw new IOException("the event is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A record of the event and its eventID. */
    private record Read(KinesisRecordIn record, String eventId) {
    }

    /** One element of {@code Records}, the parser on its START_OBJECT. */
    private static Read record(JsonParser p, int index) throws IOException {
        String at = "Records[" + index + "]";
        String eventId = null;
        String sequenceNumber = null;
        String partitionKey = null;
        Instant arrival = null;
        byte[] data = new byte[0];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("eventID")) {
                eventId = text(p, at + ".eventID");
            } else if (field.equals("kinesis") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (name) {
                        case "sequenceNumber" -> sequenceNumber = text(p, at + ".kinesis.sequenceNumber");
                        case "partitionKey" -> partitionKey = text(p, at + ".kinesis.partitionKey");
                        case "data" -> data = data(p, v, at + ".kinesis.data");
                        case "approximateArrivalTimestamp" -> arrival = arrival(p, v, at + ".kinesis.approximateArrivalTimestamp");
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        if (sequenceNumber == null) {
            throw new IOException(at + " has no kinesis.sequenceNumber");
        }
        return new Read(new KinesisRecordIn(sequenceNumber, partitionKey, arrival, data), eventId);
    }

    /** The record's data, base64-decoded as the serializer decodes it (Jackson's own decoder). */
    private static byte[] data(JsonParser p, JsonToken value, String at) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return new byte[0];
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new IOException(at + " is not a base64 text");
        }
        try {
            return p.getBinaryValue();
        } catch (JsonProcessingException e) {
            throw new IOException(at + " is not base64: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Seconds since the epoch, with a fraction: whole milliseconds, as the serializer makes a Date of them; absent for
     * null or 0, as there.
     */
    private static Instant arrival(JsonParser p, JsonToken value, String at) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IOException(at + " is not a number of seconds");
        }
        long millis = new BigDecimal(p.getText()).movePointRight(3).longValue();
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static Map<String, String> state(JsonParser p) throws IOException {
        Map<String, String> state = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            state.put(key, text(p, "state." + key));
        }
        return state;
    }

    /** A scalar as text ({@code null} for JSON's null), as the serializer reads a String field; an object or array is not one. */
    private static String text(JsonParser p, String at) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            throw new IOException(at + " is not a text, a number or a boolean");
        }
        return t == JsonToken.VALUE_NULL ? null : p.getText();
    }

    /** A field that is neither what it should be nor null is not the event's. */
    private static void notNull(JsonToken value, String at) throws IOException {
        if (value != JsonToken.VALUE_NULL) {
            throw new IOException(at + " is not what the event has there");
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
