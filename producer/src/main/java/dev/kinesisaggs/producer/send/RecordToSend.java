package dev.kinesisaggs.producer.send;

import java.util.Objects;

/**
 * One record the producer is asked to send: a trip's JSON (or a bad row as-is) with its partition key. With
 * aggregation on, many of these travel in one Kinesis record as its user records.
 *
 * <p>Not {@link dev.kinesisaggs.core.kpl.UserRecord}: that one is a user record read back out of a Kinesis record,
 * with the sub-sequence number and explicit hash key it arrived with; this one has no place in a stream yet, and
 * checks its key the way PutRecords will.
 */
public record RecordToSend(String partitionKey, byte[] data) {
    public RecordToSend {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        if (partitionKey.isEmpty() || partitionKey.length() > 256) {
            throw new IllegalArgumentException("a partition key has 1 to 256 characters, got " + partitionKey.length());
        }
    }
}
