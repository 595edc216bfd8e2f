package dev.kinesisaggs.core.kpl;

/**
 * Receives the user records of one Kinesis record, in order, from {@link Deaggregator}.
 *
 * <p>The data is a view into the caller's input array, and the keys a view into the deaggregator's
 * state, both valid only during the call: copy what must outlive the call.
 */
@FunctionalInterface
public interface UserRecordSink {

    /**
     * @param subSequenceNumber 0-based index of the user record within its Kinesis record (0 for a plain record)
     * @param keys              the user record's partition key and explicit hash key, decoded on demand
     * @param data              the array holding the user record's data
     * @param offset            where the data starts in {@code data}
     * @param length            how many bytes of data (0 is allowed)
     */
    void accept(int subSequenceNumber, UserRecordKeys keys, byte[] data, int offset, int length);
}
