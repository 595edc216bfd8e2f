package dev.kinesisaggs.core.kpl;

/**
 * The keys of the user record a {@link UserRecordSink} is being handed, decoded only when asked for: the
 * hot path (parse, validate, fold) never needs them, and decoding a partition key per trip would cost a
 * {@code String} per trip.
 *
 * <p>Valid only during the sink's call: the deaggregator reuses one instance for all the user records of
 * an aggregate. Ask for the strings during the call if they must outlive it.
 */
public interface UserRecordKeys {

    /** The user record's partition key (the outer key for a plain record); decoded once per key-table entry. */
    String partitionKey();

    /** Its explicit hash key as a decimal string, or {@code null} when it has none. */
    String explicitHashKey();
}
