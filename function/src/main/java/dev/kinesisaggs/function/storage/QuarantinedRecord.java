package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.core.trip.Rejection;
import java.time.Instant;
import java.util.Objects;

/**
 * An unclean user record and where it came from.
 *
 * @param shardId           the shard it was read from
 * @param sequenceNumber    the Kinesis record's sequence number (the outer one for KPL)
 * @param subSequenceNumber its index inside a KPL aggregate; 0 for a plain record
 * @param arrival           the Kinesis approximate arrival time
 * @param rejection         why it is unclean
 * @param payload           the raw bytes (not copied; the caller must not change them)
 */
public record QuarantinedRecord(String shardId, String sequenceNumber, long subSequenceNumber,
                                Instant arrival, Rejection rejection, byte[] payload) {
    public QuarantinedRecord {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(rejection, "rejection");
        Objects.requireNonNull(payload, "payload");
    }

    /** The quarantine key: a retry of the same record overwrites instead of duplicating. */
    public String recordId() {
        return shardId + ":" + sequenceNumber + ":" + subSequenceNumber;
    }
}
