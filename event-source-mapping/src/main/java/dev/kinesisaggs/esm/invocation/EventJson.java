package dev.kinesisaggs.esm.invocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * Writes the events Lambda sends for Kinesis (spec §3.1, §3.2), as compact JSON, and measures
 * them: the 6 MB limit applies to the serialised event, so a batch is cut by the exact byte
 * count of the JSON the function would receive.
 */
public final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SECONDS_Z = DateTimeFormatter.ISO_INSTANT;

    private final String streamArn;
    private final String awsRegion;
    private final String invokeIdentityArn;

    public EventJson(String streamArn, String awsRegion, String invokeIdentityArn) {
        this.streamArn = streamArn;
        this.awsRegion = awsRegion;
        this.invokeIdentityArn = invokeIdentityArn;
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    public ObjectNode record(StreamRecord r) {
        ObjectNode kinesis = JSON.createObjectNode();
        kinesis.put("kinesisSchemaVersion", "1.0");
        kinesis.put("partitionKey", r.partitionKey());
        kinesis.put("sequenceNumber", r.sequenceNumber());
        kinesis.put("data", Base64.getEncoder().encodeToString(r.data()));
        // epoch seconds with a millisecond fraction, as a JSON number
        kinesis.put("approximateArrivalTimestamp", BigDecimal.valueOf(r.approximateArrivalTimestamp().toEpochMilli(), 3));
        ObjectNode rec = JSON.createObjectNode();
        rec.set("kinesis", kinesis);
        rec.put("eventSource", "aws:kinesis");
        rec.put("eventVersion", "1.0");
        rec.put("eventID", r.shardId() + ":" + r.sequenceNumber());
        rec.put("eventName", "aws:kinesis:record");
        rec.put("invokeIdentityArn", invokeIdentityArn);
        rec.put("awsRegion", awsRegion);
        rec.put("eventSourceARN", streamArn);
        return rec;
    }

    /** Serialised size of one record's JSON, in bytes. */
    public int recordBytes(StreamRecord r) {
        return bytes(record(r));
    }

    /** A standard Kinesis event. */
    public String standardEvent(List<StreamRecord> records) {
        return write(standardNode(records));
    }

    /** Serialised size of a standard event with no records; add the records' bytes and one comma between each two. */
    public int standardEnvelopeBytes() {
        return bytes(standardNode(List.of()));
    }

    /** A tumbling-window event; {@code state} is sent as given, and never null (an empty window starts with {@code {}}). */
    public String windowEvent(List<StreamRecord> records, TimeWindow window, JsonNode state, String shardId,
                              boolean finalInvoke, boolean terminatedEarly) {
        return write(windowNode(records, window, state, shardId, finalInvoke, terminatedEarly));
    }

    public int windowEnvelopeBytes(TimeWindow window, JsonNode state, String shardId, boolean finalInvoke, boolean terminatedEarly) {
        return bytes(windowNode(List.of(), window, state, shardId, finalInvoke, terminatedEarly));
    }

    private ObjectNode standardNode(List<StreamRecord> records) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode array = event.putArray("Records");
        records.forEach(r -> array.add(record(r)));
        return event;
    }

    private ObjectNode windowNode(List<StreamRecord> records, TimeWindow window, JsonNode state, String shardId,
                                  boolean finalInvoke, boolean terminatedEarly) {
        ObjectNode event = standardNode(records);
        ObjectNode w = event.putObject("window");
        w.put("start", SECONDS_Z.format(window.start().truncatedTo(ChronoUnit.SECONDS)));
        w.put("end", SECONDS_Z.format(window.end().truncatedTo(ChronoUnit.SECONDS)));
        event.set("state", state == null ? JSON.createObjectNode() : state);
        event.put("shardId", shardId);
        event.put("eventSourceARN", streamArn);
        event.put("isFinalInvokeForWindow", finalInvoke);
        event.put("isWindowTerminatedEarly", terminatedEarly);
        return event;
    }

    public static int bytes(JsonNode node) {
        return write(node).getBytes(StandardCharsets.UTF_8).length;
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ISO-8601 UTC with milliseconds and Z, as in destination records. */
    public static String millisZ(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC).format(t);
    }
}
