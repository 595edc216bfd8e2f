package dev.kinesisaggs.app.rejects;

import dev.kinesisaggs.function.tables.QuarantinedRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The records kept in the quarantine table, newest first. The table is keyed by Kinesis record and has no index by
 * time or reason, so this is a strongly consistent Scan, bounded by a number of items read: on a local table it reads
 * everything; on a huge one it stops and says so, and "newest" is then among the items read.
 */
public final class QuarantineListing {

    /** What the table holds, as far as it was read. */
    public record Result(List<QuarantinedRecord> records, Map<String, Long> rejectedByReason, long itemsRead, boolean complete) {
        public Result {
            records = List.copyOf(records);
            rejectedByReason = Collections.unmodifiableSortedMap(new TreeMap<>(rejectedByReason));
        }
    }

    /** Newest first; among items quarantined at the same instant, by shard and sequence number. */
    static final Comparator<QuarantinedRecord> NEWEST_FIRST = Comparator.comparing(QuarantinedRecord::quarantinedAt).reversed()
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
     */
    public Result read(Set<String> reasons) {
        List<QuarantinedRecord> records = new ArrayList<>();
        Map<String, Long> byReason = new TreeMap<>();
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
                QuarantinedRecord record = QuarantinedRecord.of(item);
                boolean kept = false;
                for (Map.Entry<String, Long> e : record.reasons().entrySet()) {
                    if (reasons.isEmpty() || reasons.contains(e.getKey())) {
                        byReason.merge(e.getKey(), e.getValue(), Long::sum);
                        kept = true;
                    }
                }
                if (kept) {
                    records.add(record);
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && read < maxItemsRead);
        records.sort(NEWEST_FIRST);
        return new Result(records, byReason, read, startKey == null);
    }
}
