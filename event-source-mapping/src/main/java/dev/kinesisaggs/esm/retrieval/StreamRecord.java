package dev.kinesisaggs.esm.retrieval;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One Kinesis record as read from a shard: the bytes as stored (never deaggregated, as Lambda
 * does not deaggregate), its sequence number and its approximate arrival timestamp.
 */
public record StreamRecord(String shardId, String sequenceNumber, String partitionKey, byte[] data, Instant approximateArrivalTimestamp) {

    public StreamRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(approximateArrivalTimestamp, "approximateArrivalTimestamp");
    }

    /** Sequence numbers are up to 129 digits: compare them as numbers, never as longs or strings. */
    public BigInteger sequence() {
        return new BigInteger(sequenceNumber);
    }
}
