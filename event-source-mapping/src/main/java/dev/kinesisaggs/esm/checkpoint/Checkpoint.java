package dev.kinesisaggs.esm.checkpoint;

import java.math.BigInteger;
import java.util.Objects;

/**
 * How far a shard has been processed: everything up to and including {@code sequenceNumber}
 * is done, or the whole shard is done ({@link #SHARD_END}), which releases its children.
 */
public record Checkpoint(String sequenceNumber, boolean shardEnded) {

    public static final String SHARD_END_MARKER = "SHARD_END";

    public Checkpoint {
        if (!shardEnded) {
            Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        }
    }

    public static Checkpoint at(String sequenceNumber) {
        return new Checkpoint(sequenceNumber, false);
    }

    public static Checkpoint shardEnd() {
        return new Checkpoint(null, true);
    }

    public BigInteger sequence() {
        return new BigInteger(sequenceNumber);
    }

    /** The value as stored: the sequence number, or {@code SHARD_END}. */
    public String stored() {
        return shardEnded ? SHARD_END_MARKER : sequenceNumber;
    }

    public static Checkpoint parse(String stored) {
        return SHARD_END_MARKER.equals(stored) ? shardEnd() : at(stored);
    }

    @Override
    public String toString() {
        return stored();
    }
}
