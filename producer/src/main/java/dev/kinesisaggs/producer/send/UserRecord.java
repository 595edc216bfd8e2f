package dev.kinesisaggs.producer.send;

import java.util.Objects;

/**
 * One thing the user sends: a trip's JSON (or a bad row as-is) with its partition key.
 * With aggregation on, many of these travel in one Kinesis record.
 */
public record UserRecord(String partitionKey, byte[] data) {
    public UserRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        if (partitionKey.isEmpty() || partitionKey.length() > 256) {
            throw new IllegalArgumentException("a partition key has 1 to 256 characters, got " + partitionKey.length());
        }
    }
}
