package dev.kinesisaggs.function.batch;

import java.time.Instant;
import java.util.Objects;

/**
 * One Kinesis record as Lambda delivered it (possibly a KPL aggregate of many user records).
 *
 * @param sequenceNumber its sequence number (decimal, up to 129 digits)
 * @param partitionKey   its partition key
 * @param arrival        its approximate arrival time, or {@code null} if the event had none
 * @param data           its data, base64-decoded; not copied, not to be changed
 */
public record KinesisRecordIn(String sequenceNumber, String partitionKey, Instant arrival, byte[] data) {
    public KinesisRecordIn {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(data, "data");
    }
}
