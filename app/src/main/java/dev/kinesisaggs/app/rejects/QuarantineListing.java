package dev.kinesisaggs.app.rejects;

import dev.kinesisaggs.function.tables.QuarantinedRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The records kept in the quarantine table, newest first. The table is keyed by Kinesis record and has no index by
 * time or reason, so this is a strongly consistent Scan, bounded by a number of items read: on a local table it reads
 * everything; on a huge one it stops and says so, and "newest" is then among the items read. Only the newest records
 * asked for are held (an item may hold a dozen examples of 8 KB); the counts are of every record read.
 */
public final class QuarantineListing {

    /**
     * What the table holds, as far as it was read.
     *
     * @param records   the newest records chosen, newest first
     * @param matching  how many records of the reasons chosen were read, shown or not
     * @param skipped   items read that are not quarantine items (another table named, say), with the first one's key
     */
    public record Result(List<QuarantinedRecord> records, long matching, Map<String, Long> rejectedByReason, long itemsRead,
                         boolean complete, long skipped, Optional<String> skippedExample) {
        public Result {
            records = List.copyOf(records);
            rejectedByReason = Collections.unmodifiableSortedMap(new TreeMap<>(rejectedByReason));
        }
    }

    /**
     * Newest first; among items quarantined at the same instant, by shard and sequence number. By instant, not by text:
     * an instant's text leaves out a fraction of zero ("...:05Z" is older than "...:05.123Z").
     */
    static final Comparator<QuarantinedRecord> NEWEST_FIRST = Comparator.comparing(QuarantineListing::quarantinedAt).reversed()
            .thenComparing(QuarantinedRecord::recordId);

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final int maxItemsRead;

    public QuarantineListing(DynamoDbClient dynamo, String tableName, int maxItemsRead) {
        if (maxItemsRead < 1) {
            throw new IllegalArgumentException("maxItemsRead must be positive");
        }
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.maxItemsRead = maxItemsRead;
    }

    /**
     * @param reasons only the records with user records of one of these reasons (all when empty); their counts, in the
     *                result, are of these reasons only
     * @param newest  how many records to keep, the newest; 0 for all
     */
    public Result read(Set<String> reasons, int newest) {
        // the oldest kept on top, to be dropped first
        PriorityQueue<QuarantinedRecord> kept = new PriorityQueue<>(NEWEST_FIRST.reversed());
        Map<String, Long> byReason = new TreeMap<>();
        long matching = 0;
        long skipped = 0;
        Optional<String> skippedExample = Optional.empty();
        long read = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(tableName).consistentRead(true)
                    .limit((int) Math.min(1000, maxItemsRead - read));
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            ScanResponse page = dynamo.scan(request.build());
            read += page.scannedCount();
            for (Map<String, AttributeValue> item : page.items()) {
                if (!QuarantinedRecord.isQuarantineItem(item)) {
                    skipped++;
                    if (skippedExample.isEmpty()) {
                        skippedExample = Optional.of(item.keySet().stream().sorted().toList().toString());
                    }
                    continue;
                }
                QuarantinedRecord record = QuarantinedRecord.of(item);
                boolean chosen = false;
                for (Map.Entry<String, Long> e : record.reasons().entrySet()) {
                    if (reasons.isEmpty() || reasons.contains(e.getKey())) {
                        byReason.merge(e.getKey(), e.getValue(), Long::sum);
                        chosen = true;
                    }
                }
                if (chosen) {
                    matching++;
                    kept.add(record);
                    if (newest > 0 && kept.size() > newest) {
                        kept.poll();
                    }
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && read < maxItemsRead);
        List<QuarantinedRecord> records = new ArrayList<>(kept);
        records.sort(NEWEST_FIRST);
        return new Result(records, matching, byReason, read, startKey == null, skipped, skippedExample);
    }

    private static Instant quarantinedAt(QuarantinedRecord r) {
        try {
            return Instant.parse(r.quarantinedAt());
        } catch (DateTimeParseException notAnInstant) {
            return Instant.MIN; // an item written by hand, say: last
        }
    }
}
