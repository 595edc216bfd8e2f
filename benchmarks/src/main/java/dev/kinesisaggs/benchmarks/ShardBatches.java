package dev.kinesisaggs.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code KinesisTimeWindowEvent}s Lambda delivers from one shard that is read as fast as the function
 * goes: batches cut as the event source mapping cuts them (at {@link #MAX_RECORDS} records or when the
 * next record would take the event's JSON over Lambda's 6 MB payload limit), from the given Kinesis
 * records taken in turn and over again, inside 30 s windows of {@code batchesPerWindow} batches each, every
 * window closed by a final invoke without records. The state the function answered is sent with the next
 * event, as Lambda does. Sequence numbers and arrival times grow from event to event.
 */
final class ShardBatches {

    static final String SHARD = "shardId-000000000000";
    static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/kinesis-aggs-trips";
    /** The template's and the lab's batch size. */
    static final int MAX_RECORDS = 1000;
    /** Lambda's limit on an invocation's payload, 6 MB, as the mapping applies it to the event's JSON. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    static final int WINDOW_SECONDS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FIRST_WINDOW = Instant.parse("2026-12-03T10:00:00Z");

    /** One event and the trips its records hold. */
    record Event(String json, int records, int trips, boolean finalInvoke) {
    }

    private final KinesisRecordsOfTrips source;
    private final int batchesPerWindow;
    private int next;
    private long sequence;
    private long window;
    private int batchInWindow;

    ShardBatches(KinesisRecordsOfTrips source, int batchesPerWindow) {
        this.source = source;
        this.batchesPerWindow = batchesPerWindow;
    }

    /** The next event, carrying {@code state} (the last answer's; empty at a window's start). */
    Event next(Map<String, String> state) {
        Instant start = FIRST_WINDOW.plusSeconds(window * WINDOW_SECONDS);
        Instant end = start.plusSeconds(WINDOW_SECONDS);
        if (batchInWindow == batchesPerWindow) {
            batchInWindow = 0;
            window++;
            return new Event(envelope(new StringBuilder(), start, end, state, true), 0, 0, true);
        }
        StringBuilder records = new StringBuilder(MAX_PAYLOAD_BYTES);
        int count = 0;
        int trips = 0;
        double arrival = start.getEpochSecond() + 1 + batchInWindow; // inside the window
        int envelope = 600 + stateJson(state).length(); // the JSON around the records (window, state, shard, flags)
        while (count < MAX_RECORDS) {
            int i = next % source.size();
            String record = record(i, arrival);
            if (records.length() + record.length() + 1 + envelope > MAX_PAYLOAD_BYTES) {
                break;
            }
            if (count > 0) {
                records.append(',');
            }
            records.append(record);
            count++;
            trips += source.tripCounts()[i];
            next++;
        }
        batchInWindow++;
        return new Event(envelope(records, start, end, state, false), count, trips, false);
    }

    /** The final invoke of the current window, now (whatever batches it has had); the next event opens the next window. */
    Event closeWindow(Map<String, String> state) {
        batchInWindow = batchesPerWindow;
        return next(state);
    }

    private String record(int i, double arrival) {
        String seq = String.format("49590338271490256608559692538361571095921575989136588%03d%012d", 0, sequence++);
        return "{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"" + source.partitionKeys()[i]
                + "\",\"sequenceNumber\":\"" + seq + "\",\"data\":\"" + source.base64Data()[i]
                + "\",\"approximateArrivalTimestamp\":" + arrival + "},"
                + "\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\",\"eventID\":\"" + SHARD + ":" + seq
                + "\",\"eventName\":\"aws:kinesis:record\",\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/kinesis-aggs\","
                + "\"awsRegion\":\"us-east-1\",\"eventSourceARN\":\"" + STREAM_ARN + "\"}";
    }

    private static String envelope(StringBuilder records, Instant start, Instant end, Map<String, String> state, boolean finalInvoke) {
        return "{\"Records\":[" + records + "],\"window\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"},\"state\":"
                + stateJson(state) + ",\"shardId\":\"" + SHARD + "\",\"eventSourceARN\":\"" + STREAM_ARN
                + "\",\"isFinalInvokeForWindow\":" + finalInvoke + ",\"isWindowTerminatedEarly\":false}";
    }

    private static String stateJson(Map<String, String> state) {
        try {
            return JSON.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
