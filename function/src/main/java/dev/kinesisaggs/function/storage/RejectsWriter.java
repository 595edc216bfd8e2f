package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.tables.RecordRejects;
import dev.kinesisaggs.function.tables.RejectItems;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps what is not counted in the quarantine table, so that nothing is lost: one item per Kinesis record
 * (key {@code shardId:sequenceNumber}) with the count of its user records per reason (unclean, duplicate,
 * refused by DynamoDB), where and when it arrived, and its first few examples with their payloads (as text
 * when UTF-8, as bytes otherwise), each capped, so that an item stays far under DynamoDB's 400 KB.
 *
 * <p>Should DynamoDB refuse an item anyway, a minimal one (the counts, no examples) takes its place; should
 * it refuse that too, the record is counted as dropped in the invocation's log line rather than blocking the
 * shard.
 */
public final class RejectsWriter {

    private final BatchPutter putter;
    private final Clock clock;

    public RejectsWriter(BatchPutter putter, Clock clock) {
        this.putter = putter;
        this.clock = clock;
    }

    /** What writing the quarantine came to. */
    public record Written(int items, int retries, int minimal, int dropped) {
    }

    /**
     * @throws StorageException when some items could not be written before the budget ran out
     */
    public Written write(List<RecordRejects> rejects, RetryBudget budget) {
        if (rejects.isEmpty()) {
            return new Written(0, 0, 0, 0);
        }
        String now = clock.instant().toString();
        Map<String, RecordRejects> byId = new HashMap<>();
        List<PendingPut> puts = new ArrayList<>(rejects.size());
        for (RecordRejects r : rejects) {
            byId.put(r.recordId(), r);
            puts.add(new PendingPut(r.recordId(), RejectItems.item(r, now)));
        }
        PutResult result = putter.put(puts, budget);
        int minimal = 0;
        int dropped = 0;
        int retries = result.retries();
        if (!result.refused().isEmpty()) {
            List<PendingPut> fallback = new ArrayList<>();
            result.refused().forEach((id, message) -> fallback.add(new PendingPut(id, RejectItems.minimalItem(byId.get(id), now, message))));
            PutResult second = putter.put(fallback, budget);
            minimal = second.written();
            dropped = second.refused().size();
            retries += second.retries();
            if (!second.complete()) {
                throw new StorageException(second.unwritten().size() + " quarantine items could not be written to " + putter.table()
                        + " before the time ran out");
            }
        }
        if (!result.complete()) {
            throw new StorageException(result.unwritten().size() + " of " + puts.size() + " quarantine items could not be written to "
                    + putter.table() + " before the time ran out");
        }
        return new Written(result.written() + minimal, retries, minimal, dropped);
    }
}
