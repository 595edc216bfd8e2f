package dev.kinesisaggs.function.tables;

import dev.kinesisaggs.core.trip.RejectReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items of the quarantine table: the one owner of their attribute names and encoding, used by the function that
 * writes them and by the command line and dashboard that count them. One item per Kinesis record (key
 * {@link Tables#RECORD_ID}): where and when it arrived, how many of its user records were not counted per reason,
 * the commonest reason for a glance, and its first few examples with their payloads (as text when UTF-8, as bytes
 * otherwise).
 */
public final class RejectItems {

    public static final String REJECTED = "rejected";
    public static final String REASONS = "reasons";
    public static final String REASON = "reason";
    public static final String EXAMPLES = "examples";
    public static final String SHARD_ID = "shardId";
    public static final String SEQUENCE_NUMBER = "sequenceNumber";
    public static final String ARRIVAL_TIME = "arrivalTime";
    public static final String QUARANTINED_AT = "quarantinedAt";
    public static final String RECORD_BYTES = "recordBytes";
    /** A minimal item's note of why it has no examples; an example's detail of the rule broken. */
    public static final String DETAIL = "detail";
    public static final String SUB_SEQUENCE_NUMBER = "subSequenceNumber";
    public static final String FIELD = "field";
    public static final String PAYLOAD_SIZE = "payloadSize";
    public static final String PAYLOAD_TRUNCATED = "payloadTruncated";
    /** The payload as text, when it is UTF-8. */
    public static final String PAYLOAD = "payload";
    /** The payload as bytes, when it is not UTF-8. */
    public static final String PAYLOAD_BYTES = "payloadBytes";

    private RejectItems() {
    }

    /** The item of a record's rejects, with its examples. */
    public static Map<String, AttributeValue> item(RecordRejects r, String quarantinedAt) {
        Map<String, AttributeValue> item = summary(r, quarantinedAt);
        List<AttributeValue> examples = new ArrayList<>();
        for (RecordRejects.Example e : r.examples()) {
            Map<String, AttributeValue> example = new HashMap<>();
            example.put(SUB_SEQUENCE_NUMBER, AttributeValue.fromN(Long.toString(e.subSequenceNumber())));
            example.put(REASON, AttributeValue.fromS(e.reason().name()));
            if (e.field() != null) {
                example.put(FIELD, AttributeValue.fromS(e.field()));
            }
            example.put(DETAIL, AttributeValue.fromS(e.detail()));
            example.put(PAYLOAD_SIZE, AttributeValue.fromN(Integer.toString(e.payloadSize())));
            example.put(PAYLOAD_TRUNCATED, AttributeValue.fromBool(e.truncated()));
            // a cut payload may end inside a character: what is before it is text if the rest was
            String text = utf8OrNull(e.truncated() ? wholeCharacters(e.payload()) : e.payload());
            if (text != null && !text.isEmpty()) {
                example.put(PAYLOAD, AttributeValue.fromS(text));
            } else if (text == null && e.payload().length > 0) {
                example.put(PAYLOAD_BYTES, AttributeValue.fromB(SdkBytes.fromByteArray(e.payload())));
            }
            examples.add(AttributeValue.fromM(example));
        }
        item.put(EXAMPLES, AttributeValue.fromL(examples));
        return item;
    }

    /** The item without examples, for when DynamoDB refused the full one. */
    public static Map<String, AttributeValue> minimalItem(RecordRejects r, String quarantinedAt, String refusal) {
        Map<String, AttributeValue> item = summary(r, quarantinedAt);
        item.put(DETAIL, AttributeValue.fromS("the quarantine item with examples was refused by DynamoDB ("
                + (refusal.length() > 500 ? refusal.substring(0, 500) + "..." : refusal) + "): counts only"));
        return item;
    }

    /** The key, where the record came from and the counts: what any quarantine item has. */
    private static Map<String, AttributeValue> summary(RecordRejects r, String quarantinedAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.RECORD_ID, AttributeValue.fromS(r.recordId()));
        item.put(SHARD_ID, AttributeValue.fromS(r.shardId()));
        item.put(SEQUENCE_NUMBER, AttributeValue.fromS(r.sequenceNumber()));
        if (r.arrival() != null) {
            item.put(ARRIVAL_TIME, AttributeValue.fromS(r.arrival().toString()));
        }
        item.put(QUARANTINED_AT, AttributeValue.fromS(quarantinedAt));
        item.put(RECORD_BYTES, AttributeValue.fromN(Integer.toString(r.recordBytes())));
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

    /** The bytes without a last UTF-8 sequence that the cut left incomplete (at most 3 bytes of it). */
    static byte[] wholeCharacters(byte[] cut) {
        int end = cut.length;
        int continuation = 0;
        while (continuation < 3 && end - continuation > 0 && (cut[end - continuation - 1] & 0xC0) == 0x80) {
            continuation++;
        }
        int lead = end - continuation - 1;
        if (lead < 0) {
            return cut;
        }
        int b = cut[lead] & 0xFF;
        int length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return length > continuation + 1 ? Arrays.copyOf(cut, lead) : cut;
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
