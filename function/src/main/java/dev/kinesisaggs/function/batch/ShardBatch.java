package dev.kinesisaggs.function.batch;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation's input, free of Lambda types: the records of one shard in one window, the state
 * the previous invocation returned, and the window flags.
 *
 * @param shardId          the shard, e.g. {@code shardId-000000000006}
 * @param windowStart      {@code window.start} as the event gives it
 * @param windowEnd        {@code window.end} as the event gives it
 * @param state            the state Lambda passed ({@code {}} at the start of a window)
 * @param finalInvoke      {@code isFinalInvokeForWindow}
 * @param terminatedEarly  {@code isWindowTerminatedEarly}
 * @param records          the Kinesis records, in shard order
 */
public record ShardBatch(String shardId, String windowStart, String windowEnd, Map<String, String> state,
                         boolean finalInvoke, boolean terminatedEarly, List<KinesisRecordIn> records) {
    public ShardBatch {
        Objects.requireNonNull(shardId, "shardId");
        state = state == null ? Map.of() : state;
        records = List.copyOf(records);
    }

    /** Whether this invocation ends a part of the window, whose sums must then be written. */
    public boolean endsPart() {
        return finalInvoke || terminatedEarly;
    }
}
