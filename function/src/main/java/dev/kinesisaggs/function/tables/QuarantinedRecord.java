package dev.kinesisaggs.function.tables;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A quarantine item as read back: a Kinesis record whose user records were not counted, with its counts per reason
 * and its examples. The reading side of {@link RejectItems}, whose attribute names it uses: it takes any item the
 * table may hold (a full one, a minimal one whose examples DynamoDB refused, one of the older format with a single
 * {@code reason}) and never fails on an attribute missing or of another type: what it cannot read is left empty.
 *
 * @param reasons  user records not counted, per reason, in the reasons' names
 * @param note     why the item has no examples, when DynamoDB refused the full one
 */
public record QuarantinedRecord(String recordId, String shardId, String sequenceNumber, Optional<String> arrivalTime,
                                String quarantinedAt, long recordBytes, Map<String, Long> reasons, List<Example> examples,
                                Optional<String> note) {

    /**
     * One user record kept as an example.
     *
     * @param payloadText  its payload when it is UTF-8 text (cut at {@link RecordRejects#EXAMPLE_PAYLOAD_CAP} bytes)
     * @param payloadBase64 its payload's bytes in base64 when they are not text
     */
    public record Example(long subSequenceNumber, String reason, Optional<String> field, String detail, long payloadSize,
                          boolean payloadTruncated, Optional<String> payloadText, Optional<String> payloadBase64) {
    }

    public QuarantinedRecord {
        reasons = Collections.unmodifiableSortedMap(new TreeMap<>(reasons)); // by name, so that it prints the same each time
        examples = List.copyOf(examples);
    }

    /** The user records not counted, all reasons together. */
    public long rejected() {
        return reasons.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether {@code item} is one of the quarantine table's: it is keyed by its record. */
    public static boolean isQuarantineItem(Map<String, AttributeValue> item) {
        return text(item, Tables.RECORD_ID).isPresent();
    }

    /** An item of the quarantine table. */
    public static QuarantinedRecord of(Map<String, AttributeValue> item) {
        Map<String, Long> reasons = new TreeMap<>();
        AttributeValue counts = item.get(RejectItems.REASONS);
        if (counts != null && counts.hasM()) {
            counts.m().forEach((reason, n) -> reasons.put(reason, number(n, 0)));
        } else {
            reasons.put(text(item, RejectItems.REASON).orElse("UNKNOWN"), 1L); // the older format: one user record
        }
        List<Example> examples = new ArrayList<>();
        AttributeValue list = item.get(RejectItems.EXAMPLES);
        if (list != null && list.hasL()) {
            for (AttributeValue e : list.l()) {
                if (e.hasM()) {
                    examples.add(example(e.m()));
                }
            }
        }
        String recordId = text(item, Tables.RECORD_ID).orElse("");
        return new QuarantinedRecord(recordId, text(item, RejectItems.SHARD_ID).orElse(""), text(item, RejectItems.SEQUENCE_NUMBER).orElse(""),
                text(item, RejectItems.ARRIVAL_TIME), text(item, RejectItems.QUARANTINED_AT).orElse(""), number(item.get(RejectItems.RECORD_BYTES), 0), reasons,
                examples, text(item, RejectItems.DETAIL));
    }

    private static Example example(Map<String, AttributeValue> e) {
        AttributeValue bytes = e.get(RejectItems.PAYLOAD_BYTES);
        Optional<String> base64 = bytes != null && bytes.b() != null
                ? Optional.of(Base64.getEncoder().encodeToString(bytes.b().asByteArray())) : Optional.empty();
        AttributeValue truncated = e.get(RejectItems.PAYLOAD_TRUNCATED);
        return new Example(number(e.get(RejectItems.SUB_SEQUENCE_NUMBER), 0), text(e, RejectItems.REASON).orElse("UNKNOWN"), text(e, RejectItems.FIELD),
                text(e, RejectItems.DETAIL).orElse(""), number(e.get(RejectItems.PAYLOAD_SIZE), 0),
                truncated != null && Boolean.TRUE.equals(truncated.bool()), text(e, RejectItems.PAYLOAD), base64);
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? Optional.empty() : Optional.ofNullable(v.s());
    }

    private static long number(AttributeValue v, long otherwise) {
        if (v == null || v.n() == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.n());
        } catch (NumberFormatException notALong) {
            return otherwise;
        }
    }
}
