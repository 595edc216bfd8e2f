package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.trip.RejectReason;
import java.util.EnumMap;
import java.util.Map;

/**
 * The counts of one invocation.
 *
 * @param recordsIn        Kinesis records in the event
 * @param userRecords      user records after deaggregation (a broken aggregate counts as one)
 * @param clean            clean trips
 * @param rejectedByReason unclean user records per reason
 * @param tripsWritten     trips written to the trips table (0 when it is off)
 * @param rejectsWritten   records written to the quarantine table (0 when it is off)
 * @param recordsFolded    Kinesis records folded into the window state
 * @param failedRecords    Kinesis records reported as failed (from the first failed one to the end)
 * @param writeRetries     retry rounds of unprocessed items and throttled updates
 * @param partsWritten     aggregate items a window part was added to
 * @param partsAlreadyThere aggregate items that already held this part (a replay)
 */
public record InvocationStats(int recordsIn, int userRecords, int clean, Map<RejectReason, Integer> rejectedByReason,
                              int tripsWritten, int rejectsWritten, int recordsFolded, int failedRecords,
                              int writeRetries, int partsWritten, int partsAlreadyThere) {
    public InvocationStats {
        rejectedByReason = Map.copyOf(rejectedByReason);
    }

    public int rejected() {
        return rejectedByReason.values().stream().mapToInt(Integer::intValue).sum();
    }

    static Map<RejectReason, Integer> newCounts() {
        return new EnumMap<>(RejectReason.class);
    }
}
