package dev.kinesisaggs.core.kpl;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user record with its own copy of the data: for code off the hot path (tests, tools).
 * The hot path uses {@link UserRecordSink}, which copies nothing.
 *
 * @param subSequenceNumber 0-based index within the Kinesis record
 * @param partitionKey      its partition key
 * @param explicitHashKey   its explicit hash key (decimal), or {@code null}
 * @param data              its data (never {@code null}, maybe empty)
 */
public record UserRecord(int subSequenceNumber, String partitionKey, String explicitHashKey, byte[] data) {

    public UserRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserRecord that
                && subSequenceNumber == that.subSequenceNumber
                && partitionKey.equals(that.partitionKey)
                && Objects.equals(explicitHashKey, that.explicitHashKey)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subSequenceNumber, partitionKey, explicitHashKey, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "UserRecord[subSequenceNumber=" + subSequenceNumber + ", partitionKey=" + partitionKey
                + ", explicitHashKey=" + explicitHashKey + ", data=" + data.length + " bytes]";
    }
}
