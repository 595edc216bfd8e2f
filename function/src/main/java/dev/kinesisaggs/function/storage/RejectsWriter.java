package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.function.retry.RetryBudget;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keeps what is not counted in the quarantine table, so that nothing is lost: one item per Kinesis record
 * (key {@code shardId:sequenceNumber}) with the count of its user records per reason (unclean, duplicate,
 * refused by DynamoDB), where and when it arrived, and its first few examples with their payloads (as text
 * when UTF-8, as bytes otherwise), each capped, so that an item stays far under DynamoDB's 400 KB.
 *
 * <p>Should DynamoDB refuse an item anyway, a minimal one (the counts, no examples) takes its place; should
 * it refuse that too, the record is counted as dropped in the invocation's log line rather than blocking the
 * shard.
 */
public final class RejectsWriter {

    /** Attribute names of a quarantine item. */
    public static final String REJECTED = "rejected";
    public static final String REASONS = "reasons";
    public static final String REASON = "reason";
    public static final String EXAMPLES = "examples";

    private final BatchPutter putter;
    private final Clock clock;

    public RejectsWriter(BatchPutter putter, Clock clock) {
        this.putter = putter;
        this.clock = clock;
    }

    /** What writing the quarantine came to. */
    public record Written(int items, int retries, int minimal, int dropped) {
    }

    /**
     * @throws StorageException when some items could not be written before the budget ran out
     */
    public Written write(List<RecordRejects> rejects, RetryBudget budget) {
        if (rejects.isEmpty()) {
            return new Written(0, 0, 0, 0);
        }
        String now = clock.instant().toString();
        Map<String, RecordRejects> byId = new HashMap<>();
        List<PendingPut> puts = new ArrayList<>(rejects.size());
        for (RecordRejects r : rejects) {
            byId.put(r.recordId(), r);
            puts.add(new PendingPut(r.recordId(), item(r, now)));
        }
        PutResult result = putter.put(puts, budget);
        int minimal = 0;
        int dropped = 0;
        int retries = result.retries();
        if (!result.refused().isEmpty()) {
            List<PendingPut> fallback = new ArrayList<>();
            result.refused().forEach((id, message) -> fallback.add(new PendingPut(id, minimalItem(byId.get(id), now, message))));
            PutResult second = putter.put(fallback, budget);
            minimal = second.written();
            dropped = second.refused().size();
            retries += second.retries();
            if (!second.complete()) {
                throw new StorageException(second.unwritten().size() + " quarantine items could not be written to " + putter.table()
                        + " before the time ran out");
            }
        }
        if (!result.complete()) {
            throw new StorageException(result.unwritten().size() + " of " + puts.size() + " quarantine items could not be written to "
                    + putter.table() + " before the time ran out");
        }
        return new Written(result.written() + minimal, retries, minimal, dropped);
    }

    static Map<String, AttributeValue> item(RecordRejects r, String quarantinedAt) {
        Map<String, AttributeValue> item = summary(r, quarantinedAt);
        List<AttributeValue> examples = new ArrayList<>();
        for (RecordRejects.Example e : r.examples()) {
            Map<String, AttributeValue> example = new HashMap<>();
            example.put("subSequenceNumber", AttributeValue.fromN(Long.toString(e.subSequenceNumber())));
            example.put(REASON, AttributeValue.fromS(e.reason().name()));
            if (e.field() != null) {
                example.put("field", AttributeValue.fromS(e.field()));
            }
            example.put("detail", AttributeValue.fromS(e.detail()));
            example.put("payloadSize", AttributeValue.fromN(Integer.toString(e.payloadSize())));
            example.put("payloadTruncated", AttributeValue.fromBool(e.truncated()));
            String text = e.truncated() ? null : utf8OrNull(e.payload());
            if (text != null && !text.isEmpty()) {
                example.put("payload", AttributeValue.fromS(text));
            } else if (text == null && e.payload().length > 0) {
                // cut bytes may split a character, so a truncated payload is always kept as bytes
                example.put("payloadBytes", AttributeValue.fromB(SdkBytes.fromByteArray(e.payload())));
            }
            examples.add(AttributeValue.fromM(example));
        }
        item.put(EXAMPLES, AttributeValue.fromL(examples));
        return item;
    }

    static Map<String, AttributeValue> minimalItem(RecordRejects r, String quarantinedAt, String refusal) {
        Map<String, AttributeValue> item = summary(r, quarantinedAt);
        item.put("detail", AttributeValue.fromS("the quarantine item with examples was refused by DynamoDB ("
                + (refusal.length() > 500 ? refusal.substring(0, 500) + "..." : refusal) + "): counts only"));
        return item;
    }

    /** The key, where the record came from and the counts: what any quarantine item has. */
    private static Map<String, AttributeValue> summary(RecordRejects r, String quarantinedAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.RECORD_ID, AttributeValue.fromS(r.recordId()));
        item.put("shardId", AttributeValue.fromS(r.shardId()));
        item.put("sequenceNumber", AttributeValue.fromS(r.sequenceNumber()));
        if (r.arrival() != null) {
            item.put("arrivalTime", AttributeValue.fromS(r.arrival().toString()));
        }
        item.put("quarantinedAt", AttributeValue.fromS(quarantinedAt));
        item.put("recordBytes", AttributeValue.fromN(Integer.toString(r.recordBytes())));
        item.put(REJECTED, AttributeValue.fromN(Integer.toString(r.total())));
        Map<String, AttributeValue> reasons = new HashMap<>();
        RejectReason most = null;
        for (Map.Entry<RejectReason, Integer> e : r.counts().entrySet()) {
            reasons.put(e.getKey().name(), AttributeValue.fromN(Integer.toString(e.getValue())));
            if (most == null || e.getValue() > r.counts().get(most)) {
                most = e.getKey();
            }
        }
        item.put(REASONS, AttributeValue.fromM(reasons));
        if (most != null) {
            item.put(REASON, AttributeValue.fromS(most.name())); // the commonest, for a glance
        }
        return item;
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
