package dev.kinesisaggs.function.testing;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code KinesisTimeWindowEvent}s as Lambda sends them: JSON in the documented shape
 * ({@code Records}, {@code eventSourceARN}, epoch-second arrival times, base64 data), read by the
 * Java runtime's own serializer, which plain Jackson would get wrong.
 */
public final class WindowEvents {

    public static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/kinesis-aggs-trips";

    private static final PojoSerializer<KinesisTimeWindowEvent> SERIALIZER =
            LambdaEventSerializers.serializerFor(KinesisTimeWindowEvent.class, WindowEvents.class.getClassLoader());

    private WindowEvents() {
    }

    public static KinesisTimeWindowEvent fromJson(String json) {
        return SERIALIZER.fromJson(json);
    }

    public static KinesisTimeWindowEvent fromResource(String name) {
        try (InputStream in = WindowEvents.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return SERIALIZER.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One Kinesis record of an event. */
    public record Rec(String sequenceNumber, String partitionKey, Instant arrival, byte[] data) {
    }

    /** A sequence number of realistic length (56 digits) whose order follows {@code n}. */
    public static String seq(String shardSalt, long n) {
        return "4959033827149025660855969253836157109592157" + shardSalt + String.format("%012d", n);
    }

    public static String json(String shardId, String windowStart, String windowEnd, Map<String, String> state,
                              boolean finalInvoke, boolean terminatedEarly, List<Rec> records) {
        StringBuilder b = new StringBuilder(256 + records.size() * 700);
        b.append("{\"Records\":[");
        List<String> parts = new ArrayList<>();
        for (Rec r : records) {
            double arrival = r.arrival().toEpochMilli() / 1000.0;
            parts.add("{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"" + r.partitionKey()
                    + "\",\"sequenceNumber\":\"" + r.sequenceNumber() + "\",\"data\":\""
                    + Base64.getEncoder().encodeToString(r.data()) + "\",\"approximateArrivalTimestamp\":" + arrival + "},"
                    + "\"eventSource\":\"aws:kinesis\",\"eventVersion\":\"1.0\",\"eventID\":\"" + shardId + ":" + r.sequenceNumber()
                    + "\",\"eventName\":\"aws:kinesis:record\",\"invokeIdentityArn\":\"arn:aws:iam::123456789012:role/kinesis-aggs\","
                    + "\"awsRegion\":\"us-east-1\",\"eventSourceARN\":\"" + STREAM_ARN + "\"}");
        }
        b.append(String.join(",", parts));
        b.append("],\"window\":{\"start\":\"").append(windowStart).append("\",\"end\":\"").append(windowEnd).append("\"},");
        b.append("\"state\":{");
        List<String> entries = new ArrayList<>();
        state.forEach((k, v) -> entries.add("\"" + k + "\":\"" + v + "\""));
        b.append(String.join(",", entries));
        b.append("},\"shardId\":\"").append(shardId).append("\",\"eventSourceARN\":\"").append(STREAM_ARN).append("\",");
        b.append("\"isFinalInvokeForWindow\":").append(finalInvoke).append(",\"isWindowTerminatedEarly\":").append(terminatedEarly).append('}');
        return b.toString();
    }

    public static KinesisTimeWindowEvent event(String shardId, String windowStart, String windowEnd, Map<String, String> state,
                                               boolean finalInvoke, boolean terminatedEarly, List<Rec> records) {
        return fromJson(json(shardId, windowStart, windowEnd, state, finalInvoke, terminatedEarly, records));
    }
}
