package dev.kinesisaggs.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The {@code KinesisTimeWindowEvent}s Lambda delivers from one shard that is read as fast as the function
 * goes: batches cut as the event source mapping cuts them (at {@link #MAX_RECORDS} records or when the
 * next record would take the event's JSON over Lambda's 6 MB payload limit), from the given Kinesis
 * records taken in turn and over again, inside 30 s windows of {@code batchesPerWindow} batches each, every
 * window closed by a final invoke without records. The state the function answered is sent with the next
 * event, as Lambda does. Sequence numbers and arrival times grow from event to event. The events are written,
 * and their sizes counted, by the mapping's own {@link EventJson}.
 */
final class ShardBatches {

    static final String SHARD = "shardId-000000000000";
    static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/kinesis-aggs-trips";
    /** The template's and the lab's batch size. */
    static final int MAX_RECORDS = 1000;
    static final int WINDOW_SECONDS = 30;

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final EventJson EVENTS = new EventJson(STREAM_ARN, "us-east-1", "arn:aws:iam::123456789012:role/kinesis-aggs");
    private static final Instant FIRST_WINDOW = Instant.parse("2026-12-03T10:00:00Z");

    /** One event and the trips its records hold. */
    record Event(String json, int records, int trips, boolean finalInvoke) {
    }

    private final KinesisRecordsOfTrips source;
    private final byte[][] data;
    private final int batchesPerWindow;
    private int next;
    private long sequence;
    private long window;
    private int batchInWindow;

    ShardBatches(KinesisRecordsOfTrips source, int batchesPerWindow) {
        this.source = source;
        this.data = Arrays.stream(source.base64Data()).map(Base64.getDecoder()::decode).toArray(byte[][]::new);
        this.batchesPerWindow = batchesPerWindow;
    }

    /** The next event, carrying {@code state} (the last answer's; empty at a window's start). */
    Event next(Map<String, String> state) {
        Instant start = FIRST_WINDOW.plusSeconds(window * WINDOW_SECONDS);
        TimeWindow tumbling = new TimeWindow(start, start.plusSeconds(WINDOW_SECONDS));
        JsonNode stateNode = JSON.valueToTree(state);
        if (batchInWindow == batchesPerWindow) {
            batchInWindow = 0;
            window++;
            return new Event(EVENTS.windowEvent(List.of(), tumbling, stateNode, SHARD, true, false), 0, 0, true);
        }
        List<StreamRecord> records = new ArrayList<>();
        int trips = 0;
        Instant arrival = start.plusSeconds(1 + batchInWindow); // inside the window
        int bytes = EVENTS.windowEnvelopeBytes(tumbling, stateNode, SHARD, false, false);
        while (records.size() < MAX_RECORDS) {
            int i = next % source.size();
            StreamRecord record = record(i, arrival);
            int more = EVENTS.recordBytes(record) + (records.isEmpty() ? 0 : 1);
            if (bytes + more > EventSourceMappingConfig.SIX_MB) {
                sequence--; // not taken: the next event starts with it
                break;
            }
            bytes += more;
            records.add(record);
            trips += source.tripCounts()[i];
            next++;
        }
        batchInWindow++;
        return new Event(EVENTS.windowEvent(records, tumbling, stateNode, SHARD, false, false), records.size(), trips, false);
    }

    /** The final invoke of the current window, now (whatever batches it has had); the next event opens the next window. */
    Event closeWindow(Map<String, String> state) {
        batchInWindow = batchesPerWindow;
        return next(state);
    }

    private StreamRecord record(int i, Instant arrival) {
        String seq = String.format("49590338271490256608559692538361571095921575989136588%03d%012d", 0, sequence++);
        return new StreamRecord(SHARD, seq, source.partitionKeys()[i], data[i], arrival);
    }

    /** The {@code state} of a tumbling-window answer ({@code {"state":{...},"batchItemFailures":[]}}). */
    static Map<String, String> stateOf(String responseJson) {
        try {
            Map<String, String> state = JSON.convertValue(JSON.readTree(responseJson).path("state"),
                    JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
            return state == null ? Map.of() : state;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a tumbling-window answer: " + responseJson, e);
        }
    }
}
