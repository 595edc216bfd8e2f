package dev.kinesisaggs.core.kpl;

import java.util.Objects;

/**
 * One Kinesis record ready to put: the fields of a {@code PutRecordsRequestEntry}.
 *
 * @param partitionKey    the record's partition key
 * @param explicitHashKey decimal hash key that routes it, or {@code null} to let Kinesis hash the partition key
 * @param data            the data to put (an aggregate, or one user record's own data when not aggregated);
 *                        not copied, do not modify
 * @param userRecordCount how many user records it carries
 * @param aggregated      whether {@code data} is a KPL aggregate
 */
public record PutRecordEntry(String partitionKey, String explicitHashKey, byte[] data,
                             int userRecordCount, boolean aggregated) {
    public PutRecordEntry {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "PutRecordEntry[partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey
                + ", data=" + data.length + " bytes, userRecordCount=" + userRecordCount
                + ", aggregated=" + aggregated + "]";
    }
}
