package dev.kinesisaggs.producer.send;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One entry of a PutRecords request: a plain record or a KPL aggregated record.
 *
 * @param partitionKey    the (outer) partition key
 * @param explicitHashKey the hash key that chooses the shard, or {@code null} to let Kinesis hash the partition key
 * @param data            the record's bytes
 * @param userRecords     how many user records (trips, or bad rows sent as-is) it carries
 */
public record KinesisRecord(String partitionKey, String explicitHashKey, byte[] data, int userRecords) {

    public KinesisRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
        if (userRecords < 1) {
            throw new IllegalArgumentException("a Kinesis record carries at least one user record");
        }
    }

    /** What this entry counts against the PutRecords request limit: the data plus the partition key. */
    public int requestBytes() {
        return data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
    }
}
