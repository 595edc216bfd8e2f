package dev.kinesisaggs.app.dashboard;

import dev.kinesisaggs.function.tables.RejectItems;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Counts the user records not counted in the aggregates (unclean, duplicates, refused), by reason. The quarantine
 * table has one item per Kinesis record with its counts per reason ({@code reasons}); it is keyed by record and has no
 * index by reason, so this is a Scan that projects only the counts, bounded by a number of items read: on a local
 * table it is exact; on a huge one it stops and says the counts are partial.
 */
public final class RejectCountsQuery {

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final int maxItemsRead;

    public RejectCountsQuery(DynamoDbClient dynamo, String tableName, int maxItemsRead) {
        if (maxItemsRead < 1) {
            throw new IllegalArgumentException("maxItemsRead must be positive");
        }
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.maxItemsRead = maxItemsRead;
    }

    public RejectCounts count() {
        Map<String, Long> byReason = new HashMap<>();
        long total = 0;
        int read = 0;
        Map<String, AttributeValue> startKey = null;
        try {
            do {
                ScanRequest.Builder request = ScanRequest.builder()
                        .tableName(tableName)
                        .projectionExpression("#reasons, #reason")
                        .expressionAttributeNames(Map.of("#reasons", RejectItems.REASONS, "#reason", RejectItems.REASON))
                        .limit(Math.min(1000, maxItemsRead - read));
                if (startKey != null) {
                    request.exclusiveStartKey(startKey);
                }
                ScanResponse page = dynamo.scan(request.build());
                read += page.scannedCount();
                for (Map<String, AttributeValue> item : page.items()) {
                    AttributeValue reasons = item.get(RejectItems.REASONS);
                    if (reasons != null && reasons.hasM()) {
                        for (Map.Entry<String, AttributeValue> e : reasons.m().entrySet()) {
                            long n = Long.parseLong(e.getValue().n());
                            byReason.merge(e.getKey(), n, Long::sum);
                            total += n;
                        }
                    } else {
                        // an item of the previous format: one user record, its reason
                        AttributeValue reason = item.get(RejectItems.REASON);
                        byReason.merge(reason == null || reason.s() == null ? "UNKNOWN" : reason.s(), 1L, Long::sum);
                        total++;
                    }
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
                if (startKey != null && read >= maxItemsRead) {
                    return new RejectCounts.Counted(byReason, total, false);
                }
            } while (startKey != null);
        } catch (ResourceNotFoundException e) {
            return new RejectCounts.TableMissing(tableName);
        }
        return new RejectCounts.Counted(byReason, total, true);
    }
}
