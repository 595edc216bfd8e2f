package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.trip.RejectReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counts of one invocation.
 *
 * @param recordsIn          Kinesis records in the event
 * @param userRecords        user records after deaggregation (a broken aggregate counts as one)
 * @param clean              clean trips
 * @param rejectedByReason   user records not counted, per reason: unclean ones, duplicates, trips DynamoDB refused
 * @param counted            trips counted in the window (clean, stored, claimed by their record)
 * @param duplicates         clean trips already counted from another record
 * @param refused            clean trips DynamoDB refused to store
 * @param quarantineItems    quarantine items written (one per Kinesis record with something not counted)
 * @param quarantineDropped  quarantine items DynamoDB refused even in their minimal form (counted here, never blocking)
 * @param writeRetries       retry rounds of throttled or unprocessed writes
 * @param partsWritten       window parts written (a full part, and the window's last)
 * @param aggregateItems     aggregate items written for them (one per vendor of a part)
 * @param partsAlreadyWhole  parts found whole already (a retried final invoke)
 */
public record InvocationStats(int recordsIn, int userRecords, int clean, Map<RejectReason, Integer> rejectedByReason,
                              int counted, int duplicates, int refused, int quarantineItems, int quarantineDropped,
                              int writeRetries, int partsWritten, int aggregateItems, int partsAlreadyWhole) {
    public InvocationStats {
        rejectedByReason = Map.copyOf(rejectedByReason);
    }

    /** User records not counted. */
    public int rejected() {
        return rejectedByReason.values().stream().mapToInt(Integer::intValue).sum();
    }

    static Map<RejectReason, Integer> newCounts() {
        return new EnumMap<>(RejectReason.class);
    }
}
