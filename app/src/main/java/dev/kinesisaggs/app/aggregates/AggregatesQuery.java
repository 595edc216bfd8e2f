package dev.kinesisaggs.app.aggregates;

import dev.kinesisaggs.function.storage.TableNames;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads per-vendor window aggregates from the aggregates table (partition key {@code vendorId} N,
 * sort key {@code windowStart} S, ISO-8601 UTC).
 *
 * <p>When the caller names the vendors, each vendor's windows are read with a Query on its key
 * range, which reads only the matching items. When it does not, the vendors are unknown (the table
 * has no index of them), so the table is read with a Scan and a filter on {@code windowStart}: a
 * Scan reads every item, which is cheap on a local table and costs read capacity on a large one.
 * Both follow DynamoDB's pagination to the end.
 */
public final class AggregatesQuery {

    public static final String DEFAULT_TABLE = TableNames.DEFAULT_AGGREGATES;

    private static final String ATTRIBUTES = "vendorId, windowStart, windowEnd, passenger, trips, distance, #duration";
    // "duration" is a DynamoDB reserved word; the others are not
    private static final Map<String, String> ATTRIBUTE_NAMES = Map.of("#duration", "duration");

    private final DynamoDbClient dynamo;
    private final String tableName;

    public AggregatesQuery(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    public String tableName() {
        return tableName;
    }

    /** Every window in the range, of the given vendors (all vendors when empty), by window then vendor. */
    public List<WindowAggregate> find(TimeRange range, Set<Long> vendors) {
        List<WindowAggregate> found = new ArrayList<>();
        if (vendors.isEmpty()) {
            // no vendor named: a Scan of the whole table, filtered on windowStart
            for (ScanResponse page : dynamo.scanPaginator(scanRequest(range).build())) {
                page.items().stream().map(AggregatesQuery::fromItem)
                        .filter(a -> range.contains(a.windowStart())).forEach(found::add);
            }
        } else {
            // vendors named: a Query on each vendor's key range reads only the matching items
            for (long vendor : new TreeSet<>(vendors)) {
                for (QueryResponse page : dynamo.queryPaginator(query(vendor, range).build())) {
                    page.items().stream().map(AggregatesQuery::fromItem)
                            .filter(a -> range.contains(a.windowStart())).forEach(found::add);
                }
            }
        }
        found.sort(WindowAggregate.BY_WINDOW_THEN_VENDOR);
        return found;
    }

    /**
     * The newest {@code windows} window starts at or after {@code since}, with every vendor's item in
     * them, for a view that must stay light. A window in which a vendor had no trips has no item for
     * that vendor, so each vendor's newest {@code windows} items are read and then cut to the newest
     * window starts of all: every vendor then shows over the same span. With known vendors this reads
     * one Query page per vendor. Without, it scans, but stops after {@code maxItemsRead} items;
     * {@link RecentWindows#complete()} then says whether the whole table was read.
     */
    public RecentWindows recent(Optional<Instant> since, Set<Long> vendors, int windows, int maxItemsRead) {
        if (windows < 1 || maxItemsRead < 1) {
            throw new IllegalArgumentException("windows and maxItemsRead must be positive");
        }
        TimeRange range = new TimeRange(since, Optional.empty());
        if (!vendors.isEmpty()) {
            List<WindowAggregate> found = new ArrayList<>();
            for (long vendor : new TreeSet<>(vendors)) {
                // newest first, one page of at most windows items: bounded by construction
                QueryResponse page = dynamo.query(query(vendor, range)
                        .scanIndexForward(false).limit(windows).build());
                page.items().stream().map(AggregatesQuery::fromItem)
                        .filter(a -> range.contains(a.windowStart())).forEach(found::add);
            }
            return new RecentWindows(newestStarts(found, windows), true);
        }
        Map<Long, PriorityQueue<WindowAggregate>> newestByVendor = new HashMap<>();
        int read = 0;
        boolean complete = true;
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder request = scanRequest(range).limit(Math.min(1000, maxItemsRead - read));
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            ScanResponse page = dynamo.scan(request.build());
            read += page.scannedCount();
            for (Map<String, AttributeValue> item : page.items()) {
                WindowAggregate a = fromItem(item);
                if (range.contains(a.windowStart())) {
                    PriorityQueue<WindowAggregate> newest = newestByVendor.computeIfAbsent(a.vendorId(),
                            v -> new PriorityQueue<>(Comparator.comparing(WindowAggregate::windowStart)));
                    newest.add(a);
                    if (newest.size() > windows) {
                        newest.poll();
                    }
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (startKey != null && read >= maxItemsRead) {
                complete = false;
                startKey = null;
            }
        } while (startKey != null);
        List<WindowAggregate> found = new ArrayList<>();
        newestByVendor.values().forEach(found::addAll);
        return new RecentWindows(newestStarts(found, windows), complete);
    }

    /** The aggregates whose window start is one of the newest {@code windows} starts, by window then vendor. */
    private static List<WindowAggregate> newestStarts(List<WindowAggregate> aggregates, int windows) {
        TreeSet<Instant> starts = new TreeSet<>(Comparator.reverseOrder());
        aggregates.forEach(a -> starts.add(a.windowStart()));
        Set<Instant> kept = starts.stream().limit(windows).collect(Collectors.toSet());
        List<WindowAggregate> newest = new ArrayList<>(aggregates.stream().filter(a -> kept.contains(a.windowStart())).toList());
        newest.sort(WindowAggregate.BY_WINDOW_THEN_VENDOR);
        return newest;
    }

    /** Recent windows, and whether they come from the whole table or from a bounded part of a Scan. */
    public record RecentWindows(List<WindowAggregate> windows, boolean complete) {
        public RecentWindows {
            windows = List.copyOf(windows);
        }
    }

    private QueryRequest.Builder query(long vendor, TimeRange range) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":vendor", AttributeValue.fromN(Long.toString(vendor)));
        String condition = "vendorId = :vendor" + sortKeyCondition(range, values).map(c -> " AND " + c).orElse("");
        return QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression(condition)
                .expressionAttributeValues(values)
                .projectionExpression(ATTRIBUTES)
                .expressionAttributeNames(ATTRIBUTE_NAMES);
    }

    private ScanRequest.Builder scanRequest(TimeRange range) {
        Map<String, AttributeValue> values = new HashMap<>();
        Optional<String> filter = sortKeyCondition(range, values);
        ScanRequest.Builder request = ScanRequest.builder()
                .tableName(tableName)
                .projectionExpression(ATTRIBUTES)
                .expressionAttributeNames(ATTRIBUTE_NAMES);
        filter.ifPresent(f -> request.filterExpression(f).expressionAttributeValues(values));
        return request;
    }

    private static Optional<String> sortKeyCondition(TimeRange range, Map<String, AttributeValue> values) {
        Optional<String> lower = range.lowerKeyBound();
        Optional<String> upper = range.upperKeyBound();
        lower.ifPresent(l -> values.put(":from", AttributeValue.fromS(l)));
        upper.ifPresent(u -> values.put(":to", AttributeValue.fromS(u)));
        if (lower.isPresent() && upper.isPresent()) {
            return Optional.of("windowStart BETWEEN :from AND :to");
        }
        if (lower.isPresent()) {
            return Optional.of("windowStart >= :from");
        }
        return upper.map(u -> "windowStart <= :to");
    }

    /** Maps one item; an item without its keys or sums is not one of ours, which is unexpected. */
    static WindowAggregate fromItem(Map<String, AttributeValue> item) {
        return new WindowAggregate(
                Long.parseLong(required(item, "vendorId").n()),
                Instant.parse(required(item, "windowStart").s()),
                Instant.parse(required(item, "windowEnd").s()),
                Long.parseLong(required(item, "passenger").n()),
                Long.parseLong(required(item, "trips").n()),
                optionalNumber(item, "distance"),
                optionalNumber(item, "duration"));
    }

    private static AttributeValue required(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            throw new IllegalStateException("An item of the aggregates table has no '" + name + "': " + item);
        }
        return value;
    }

    private static Optional<BigDecimal> optionalNumber(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? Optional.empty() : Optional.of(new BigDecimal(value.n()));
    }
}
