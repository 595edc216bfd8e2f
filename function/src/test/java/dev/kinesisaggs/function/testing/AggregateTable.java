package dev.kinesisaggs.function.testing;

import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.function.tables.AggregateItems;
import dev.kinesisaggs.function.tables.AggregateReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The whole aggregates table, read as a reader counts it: per window start and vendor, the sums of the parts of one
 * complete run per shard ({@link AggregateReading}), and which shards' windows are incomplete.
 */
public record AggregateTable(Map<String, Map<Long, VendorTotals>> windows, Map<String, java.util.Set<String>> incompleteShards,
                             List<AggregateItems.Decoded> items) {

    public static AggregateTable read(DynamoDbClient dynamo, String table) {
        List<AggregateItems.Decoded> items = new ArrayList<>();
        for (ScanResponse page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true))) {
            for (Map<String, AttributeValue> item : page.items()) {
                items.add(AggregateItems.decode(item));
            }
        }
        AggregateReading.Choice choice = AggregateReading.choose(items);
        Map<String, Map<Long, VendorTotals>> windows = new TreeMap<>();
        AggregateReading.counted(items, choice).forEach((window, byVendor) -> byVendor.forEach((vendor, parts) -> {
            VendorTotals sum = VendorTotals.ZERO;
            for (AggregateItems.Decoded d : parts) {
                sum = sum.plus(new VendorTotals(d.passengers(), d.trips(), d.distance().movePointRight(6).longValueExact(), d.duration()));
            }
            windows.computeIfAbsent(window, w -> new TreeMap<>()).put(vendor, sum);
        }));
        return new AggregateTable(windows, choice.incompleteShards(), items);
    }

    /** One window's sums by vendor (empty when nothing is counted there). */
    public Map<Long, VendorTotals> window(String windowStart) {
        return windows.getOrDefault(windowStart, Map.of());
    }
}
