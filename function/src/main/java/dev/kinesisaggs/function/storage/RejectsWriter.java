package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.function.retry.RetryBudget;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keeps unclean records in the quarantine table, so that nothing is lost: the reason, the field,
 * the detail, where and when the record arrived, and its raw payload up to a size cap (as text
 * when it is UTF-8, as bytes otherwise).
 */
public final class RejectsWriter {

    /** Well under DynamoDB's 400 KB item limit, and enough to see what went wrong. */
    public static final int DEFAULT_PAYLOAD_CAP = 16 * 1024;

    private final BatchPutter putter;
    private final Clock clock;
    private final int payloadCap;

    public RejectsWriter(BatchPutter putter, Clock clock, int payloadCap) {
        if (payloadCap < 0) {
            throw new IllegalArgumentException("payload cap must be >= 0, got " + payloadCap);
        }
        this.putter = putter;
        this.clock = clock;
        this.payloadCap = payloadCap;
    }

    public PutOutcome write(List<Owned<QuarantinedRecord>> rejects, RetryBudget budget) {
        String now = clock.instant().toString();
        List<PendingPut> puts = new ArrayList<>(rejects.size());
        for (Owned<QuarantinedRecord> r : rejects) {
            puts.add(new PendingPut(r.owner(), r.value().recordId(), item(r.value(), now, payloadCap)));
        }
        return putter.put(puts, budget);
    }

    static Map<String, AttributeValue> item(QuarantinedRecord r, String quarantinedAt, int payloadCap) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.RECORD_ID, AttributeValue.fromS(r.recordId()));
        item.put("reason", AttributeValue.fromS(r.rejection().reason().name()));
        if (r.rejection().field() != null) {
            item.put("field", AttributeValue.fromS(r.rejection().field()));
        }
        item.put("detail", AttributeValue.fromS(r.rejection().detail()));
        item.put("shardId", AttributeValue.fromS(r.shardId()));
        item.put("sequenceNumber", AttributeValue.fromS(r.sequenceNumber()));
        item.put("subSequenceNumber", AttributeValue.fromN(Long.toString(r.subSequenceNumber())));
        if (r.arrival() != null) {
            item.put("arrivalTime", AttributeValue.fromS(r.arrival().toString()));
        }
        item.put("quarantinedAt", AttributeValue.fromS(quarantinedAt));
        byte[] payload = r.payload();
        item.put("payloadSize", AttributeValue.fromN(Integer.toString(payload.length)));
        boolean truncated = payload.length > payloadCap;
        byte[] kept = truncated ? Arrays.copyOf(payload, payloadCap) : payload;
        String text = truncated ? null : utf8OrNull(kept);
        if (text != null && !text.isEmpty()) {
            item.put("payload", AttributeValue.fromS(text));
        } else if (text == null && kept.length > 0) {
            // cut bytes may split a character, so a truncated payload is always kept as bytes
            item.put("payloadBytes", AttributeValue.fromB(SdkBytes.fromByteArray(kept)));
        }
        item.put("payloadTruncated", AttributeValue.fromBool(truncated));
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
