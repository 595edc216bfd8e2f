package dev.kinesisaggs.esm.checkpoint;

import dev.kinesisaggs.esm.retrieval.ShardPosition;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * How far a shard has been processed: everything up to and including {@code sequenceNumber} is done, or the whole
 * shard is done ({@link #SHARD_END_MARKER}), which releases its children; or nothing is done yet and the mapping's
 * position is {@code start}, from which the shard is read again ({@link #startsAt}).
 *
 * <p>The last is what a mapping that starts at LATEST saves: AWS's mapping keeps its position from its creation on,
 * and "disabling and re-enabling resumes from the last processed record" (spec §1.2), whereas a LATEST taken again at
 * the next start would skip every record put while the mapping was stopped before its first checkpoint (found by a
 * probe: 300 trips lost to a Ctrl-C a few seconds after the start, with the lab's 120 s batching window).
 *
 * @param start where a shard without a processed record resumes: {@link ShardPosition.AtTimestamp} or
 *              {@link ShardPosition.AtSequenceNumber}; null otherwise
 */
public record Checkpoint(String sequenceNumber, boolean shardEnded, ShardPosition start) {

    public static final String SHARD_END_MARKER = "SHARD_END";
    private static final String AT_TIMESTAMP = "AT_TIMESTAMP:";
    private static final String AT_SEQUENCE_NUMBER = "AT_SEQUENCE_NUMBER:";

    public Checkpoint {
        if (start != null && !(start instanceof ShardPosition.AtTimestamp || start instanceof ShardPosition.AtSequenceNumber)) {
            throw new IllegalArgumentException("a checkpoint's start is a timestamp or a record, not " + start);
        }
        if (!shardEnded && start == null) {
            Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        }
        if ((sequenceNumber != null ? 1 : 0) + (shardEnded ? 1 : 0) + (start != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("a checkpoint is a record processed, the shard's end or a start, one of them: "
                    + sequenceNumber + ", " + shardEnded + ", " + start);
        }
    }

    public static Checkpoint at(String sequenceNumber) {
        return new Checkpoint(sequenceNumber, false, null);
    }

    public static Checkpoint shardEnd() {
        return new Checkpoint(null, true, null);
    }

    /** Nothing processed yet; the shard is read again from {@code start} (at a timestamp, or at a record). */
    public static Checkpoint startsAt(ShardPosition start) {
        return new Checkpoint(null, false, Objects.requireNonNull(start, "start"));
    }

    /** Whether a record has been processed (or the shard ended), rather than only a start position saved. */
    public boolean processed() {
        return start == null;
    }

    /** Where a mapping that loads this checkpoint reads from. */
    public ShardPosition resumeAt() {
        if (shardEnded) {
            throw new IllegalStateException("a shard read to its end is not read again");
        }
        return start != null ? start : ShardPosition.after(sequenceNumber);
    }

    public BigInteger sequence() {
        return new BigInteger(sequenceNumber);
    }

    /** The value as stored: the sequence number, {@code SHARD_END}, or the start's Kinesis iterator type and value. */
    public String stored() {
        if (shardEnded) {
            return SHARD_END_MARKER;
        }
        if (start instanceof ShardPosition.AtTimestamp t) {
            return AT_TIMESTAMP + t.timestamp();
        }
        if (start instanceof ShardPosition.AtSequenceNumber s) {
            return AT_SEQUENCE_NUMBER + s.sequenceNumber();
        }
        return sequenceNumber;
    }

    /** @throws IllegalArgumentException when {@code stored} is none of the forms {@link #stored()} writes */
    public static Checkpoint parse(String stored) {
        if (SHARD_END_MARKER.equals(stored)) {
            return shardEnd();
        }
        try {
            if (stored.startsWith(AT_TIMESTAMP)) {
                return startsAt(ShardPosition.atTimestamp(Instant.parse(stored.substring(AT_TIMESTAMP.length()))));
            }
            if (stored.startsWith(AT_SEQUENCE_NUMBER)) {
                String sequenceNumber = stored.substring(AT_SEQUENCE_NUMBER.length());
                new BigInteger(sequenceNumber); // a number, or refused here rather than by Kinesis later
                return startsAt(ShardPosition.atSequenceNumber(sequenceNumber));
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("not a checkpoint: " + stored, e);
        }
        return at(stored);
    }

    @Override
    public String toString() {
        return stored();
    }
}
