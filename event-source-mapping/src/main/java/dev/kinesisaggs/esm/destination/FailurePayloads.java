package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code payload} of an S3 failure object: the event the function was sent. AWS calls it "the entire invocation
 * record" and says no more; this is our reading:
 *
 * <ul>
 *   <li>the event of the invocation the failure record names ({@code requestContext.requestId}: the batch's last
 *       attempt), its {@code Records} cut to those of {@code KinesisBatchInfo}'s sequence range, so that they are the
 *       records given up (a batch given up right after a partial failure was sent with the records before it too). A
 *       window's final invoke is kept as sent: its {@code Records} are empty, or its last chunk, and its
 *       {@code state} is what was lost;</li>
 *   <li>records too old before a retry get a request id of their own, which names no invocation: then the latest
 *       event of the shard that held the first of them, cut the same way;</li>
 *   <li>records the function was never sent (too old before their first invocation, a record over 6 MB): no
 *       {@code payload}.</li>
 * </ul>
 *
 * <p>Only the last few events of each shard are kept (one more than the invocations a shard may have in flight), since
 * a batch is given up, or not, as soon as its invocation returns.
 */
final class FailurePayloads {

    private record Sent(String requestId, String eventJson) {}

    private final int keptPerShard;
    private final Map<String, Deque<Sent>> byShard = new HashMap<>();

    FailurePayloads(int keptPerShard) {
        this.keptPerShard = keptPerShard;
    }

    synchronized void invoked(String shardId, String requestId, String eventJson) {
        Deque<Sent> sent = byShard.computeIfAbsent(shardId, s -> new ArrayDeque<>());
        sent.addFirst(new Sent(requestId, eventJson));
        while (sent.size() > keptPerShard) {
            sent.removeLast();
        }
    }

    Optional<JsonNode> payloadFor(JsonNode failureRecord) {
        JsonNode info = failureRecord.path("KinesisBatchInfo");
        String requestId = failureRecord.path("requestContext").path("requestId").asText();
        BigInteger start = new BigInteger(info.path("startSequenceNumber").asText());
        BigInteger end = new BigInteger(info.path("endSequenceNumber").asText());
        Optional<ObjectNode> event = eventOf(info.path("shardId").asText(), requestId, start);
        event.ifPresent(e -> cut(e, start, end));
        return event.map(e -> e);
    }

    private synchronized Optional<ObjectNode> eventOf(String shardId, String requestId, BigInteger start) {
        Deque<Sent> sent = byShard.getOrDefault(shardId, new ArrayDeque<>());
        for (Sent s : sent) {
            if (s.requestId().equals(requestId)) {
                return Optional.of(parse(s.eventJson()));
            }
        }
        for (Sent s : sent) {
            ObjectNode event = parse(s.eventJson());
            for (JsonNode r : event.path("Records")) {
                if (sequence(r).equals(start)) {
                    return Optional.of(event);
                }
            }
        }
        return Optional.empty();
    }

    private static void cut(ObjectNode event, BigInteger start, BigInteger end) {
        if (!(event.get("Records") instanceof ArrayNode records)) {
            return;
        }
        for (Iterator<JsonNode> it = records.elements(); it.hasNext(); ) {
            BigInteger s = sequence(it.next());
            if (s.compareTo(start) < 0 || s.compareTo(end) > 0) {
                it.remove();
            }
        }
    }

    private static BigInteger sequence(JsonNode record) {
        return new BigInteger(record.path("kinesis").path("sequenceNumber").asText("0"));
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) EventJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The event sent to the function is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
