package dev.kinesisaggs.function.tables;

import dev.kinesisaggs.core.trip.DetailText;
import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Rejection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What of one Kinesis record is not counted, and why: its unclean user records, its duplicate trips and
 * the trips DynamoDB refused, as counts per reason and examples: the first few, and the first of each reason. One
 * quarantine item per Kinesis record, whatever it holds: a KPL aggregate of 100,000 empty user records is one item with
 * a count of 100,000, not 100,000 items; the memory it takes is bounded by {@link #MAX_EXAMPLES} plus one per reason,
 * and {@link #EXAMPLE_PAYLOAD_CAP} (at most 12 examples of 8 KB: far under DynamoDB's 400 KB item).
 */
public final class RecordRejects {

    /** How many examples are kept whatever their reasons, with their payloads; the first of each reason is kept too. */
    public static final int MAX_EXAMPLES = 3;
    /** Bytes of an example's payload kept: enough to see what went wrong, far under DynamoDB's 400 KB item. */
    public static final int EXAMPLE_PAYLOAD_CAP = 8 * 1024;
    /** Characters of an example's detail kept. */
    static final int DETAIL_CAP = 1024;

    /**
     * One example.
     *
     * @param subSequenceNumber its index in a KPL aggregate, 0 for a plain record
     * @param payload           its first {@link #EXAMPLE_PAYLOAD_CAP} bytes; empty when not kept (a duplicate)
     * @param payloadSize       its whole size in bytes
     */
    public record Example(long subSequenceNumber, RejectReason reason, String field, String detail, byte[] payload, int payloadSize) {
        public Example {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(payload, "payload");
        }

        public boolean truncated() {
            return payload.length < payloadSize;
        }
    }

    private final String shardId;
    private final String sequenceNumber;
    private final Instant arrival;
    private final int recordBytes;
    private final Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
    private final List<Example> examples = new ArrayList<>(MAX_EXAMPLES);

    public RecordRejects(String shardId, String sequenceNumber, Instant arrival, int recordBytes) {
        this.shardId = Objects.requireNonNull(shardId, "shardId");
        this.sequenceNumber = Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        this.arrival = arrival;
        this.recordBytes = recordBytes;
    }

    /** A user record that is not counted, with (part of) its payload. */
    public void add(long subSequenceNumber, Rejection rejection, byte[] data, int offset, int length) {
        Integer before = counts.merge(rejection.reason(), 1, Integer::sum);
        // the first few, and the first of every reason: a reason seen only after the first few is not left without one
        if (examples.size() < MAX_EXAMPLES || before == 1) {
            byte[] kept = Arrays.copyOfRange(data, offset, offset + Math.min(length, EXAMPLE_PAYLOAD_CAP));
            // the last step before DynamoDB: a detail quotes the record, which may hold lone surrogates
            String detail = DetailText.cut(rejection.detail(), DETAIL_CAP);
            examples.add(new Example(subSequenceNumber, rejection.reason(), rejection.field(), detail, kept, length));
        }
    }

    /** The quarantine key: the Kinesis record, so that a retry overwrites its item instead of adding one. */
    public String recordId() {
        return shardId + ":" + sequenceNumber;
    }

    public String shardId() {
        return shardId;
    }

    public String sequenceNumber() {
        return sequenceNumber;
    }

    public Instant arrival() {
        return arrival;
    }

    public int recordBytes() {
        return recordBytes;
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public Map<RejectReason, Integer> counts() {
        return Collections.unmodifiableMap(counts);
    }

    public List<Example> examples() {
        return Collections.unmodifiableList(examples);
    }
}
