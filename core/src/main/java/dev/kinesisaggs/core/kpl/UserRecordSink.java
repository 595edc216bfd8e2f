package dev.kinesisaggs.core.kpl;

/**
 * Receives the user records of one Kinesis record, in order, from {@link Deaggregator}.
 *
 * <p>The data is a view into the caller's input array, valid only during the call: copy it if
 * it must outlive the call. Partition keys are shared {@code String}s, decoded once per key-table
 * entry.
 */
@FunctionalInterface
public interface UserRecordSink {

    /**
     * @param subSequenceNumber 0-based index of the user record within its Kinesis record (0 for a plain record)
     * @param partitionKey      the user record's partition key (the outer key for a plain record)
     * @param explicitHashKey   its explicit hash key as a decimal string, or {@code null} when it has none
     * @param data              the array holding the user record's data
     * @param offset            where the data starts in {@code data}
     * @param length            how many bytes of data (0 is allowed)
     */
    void accept(int subSequenceNumber, String partitionKey, String explicitHashKey,
                byte[] data, int offset, int length);
}
