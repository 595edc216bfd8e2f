package dev.kinesisaggs.producer.send;

import java.util.Map;

/**
 * What the sender has done so far; a snapshot, consistent enough for a progress line.
 *
 * @param sentTrips          user records acknowledged by Kinesis (trips, and bad rows sent as-is)
 * @param sentRecords        Kinesis records acknowledged (aggregated or not)
 * @param sentBytes          bytes of acknowledged records, data plus partition keys
 * @param requests           PutRecords calls made, retries included
 * @param retriedRecords     Kinesis records sent again because their entry failed
 * @param failedTrips        user records given up on (their entry kept failing, or failed in a way not worth a retry)
 * @param failedRecords      Kinesis records given up on
 * @param failuresByError    failed entries (each attempt) by error code, e.g. {@code ProvisionedThroughputExceededException}
 */
public record SendCounts(
        long sentTrips,
        long sentRecords,
        long sentBytes,
        long requests,
        long retriedRecords,
        long failedTrips,
        long failedRecords,
        Map<String, Long> failuresByError) {

    public SendCounts {
        failuresByError = Map.copyOf(failuresByError);
    }
}
