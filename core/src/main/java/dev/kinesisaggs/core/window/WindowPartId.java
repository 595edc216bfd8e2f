package dev.kinesisaggs.core.window;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Names one shard's part of one window: the shard id and the sequence number of the first Kinesis record
 * folded into the part. Written {@code shardId-000000000006:49590338271490256608559692538361571095921575989136588898},
 * the form of a Kinesis event id.
 *
 * <p>Why this makes the aggregate write idempotent: the event source mapping delivers a shard's records in
 * order and, after a failed invocation, a crash or a replay, re-delivers from the last checkpoint, which
 * is never inside an open window. The same records come again in the same order; the consumer filters them
 * the same way and, because it stops at its first failed record, the first record it folds is always the
 * first clean record of the part. So a retried part gets the same id, and the aggregate item, which
 * records the part ids it already holds, adds a part's totals only once. A window terminated early
 * continues with a fresh state: its next part starts at a later record, so it gets a new id.
 *
 * @param shardId             the shard, e.g. {@code shardId-000000000006}
 * @param firstSequenceNumber the sequence number of the first record folded into this part
 */
public record WindowPartId(String shardId, BigInteger firstSequenceNumber) {

    private static final char SEPARATOR = ':';

    public WindowPartId {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(firstSequenceNumber, "firstSequenceNumber");
        if (shardId.isEmpty() || shardId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("a shard id is non-empty and has no '" + SEPARATOR + "', got \"" + shardId + "\"");
        }
        if (firstSequenceNumber.signum() < 0) {
            throw new IllegalArgumentException("a sequence number is not negative, got " + firstSequenceNumber);
        }
    }

    /** The part that starts at the record with this sequence number (decimal digits, as Kinesis writes it). */
    public static WindowPartId of(String shardId, String sequenceNumber) {
        return new WindowPartId(shardId, sequenceNumber(sequenceNumber));
    }

    /** Reads back {@link #toString()}. */
    public static WindowPartId parse(String text) {
        int sep = text.lastIndexOf(SEPARATOR);
        if (sep < 0) {
            throw new IllegalArgumentException("a window part id is \"<shardId>:<sequenceNumber>\", got \"" + text + "\"");
        }
        return of(text.substring(0, sep), text.substring(sep + 1));
    }

    private static BigInteger sequenceNumber(String s) {
        if (s.isEmpty() || s.length() > 200 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("a sequence number is a string of decimal digits, got \"" + s + "\"");
        }
        return new BigInteger(s);
    }

    @Override
    public String toString() {
        return shardId + SEPARATOR + firstSequenceNumber;
    }
}
