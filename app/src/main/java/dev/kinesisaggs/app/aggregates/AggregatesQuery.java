package dev.kinesisaggs.app.aggregates;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.function.tables.AggregateItems;
import dev.kinesisaggs.function.tables.AggregateReading;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Reads per-vendor window aggregates from the aggregates table ({@link AggregateItems}): a window's aggregate for a
 * vendor is the sum of its items in the parts of the complete runs that count ({@link AggregateReading}): of each
 * shard's runs, those with disjoint record ranges that cover the most records.
 *
 * <p>First the part markers of the time range (one Query on vendor 0): they say which parts count, and, for parts of
 * up to a hundred vendors, which vendors there are. Then one Query per vendor on its key range. Only when a marker does
 * not list its vendors (a part of more), or when the range has no marker at all (a table written by the previous
 * format, whose items are whole totals), are the vendors found with a Scan, which reads every item. Both follow
 * DynamoDB's pagination to the end. Windows some shard has not completed are reported ({@link Result#incompleteWindows}).
 */
public final class AggregatesQuery {

    private final DynamoDbClient dynamo;
    private final String tableName;

    /**
     * The longest tumbling window (900 s, as AWS bounds it): a run of a window that starts this long before a range, or
     * within this long after it, may hold records of a window in it, and which of them counts is decided over all of
     * them ({@link AggregateReading}), so that a window is weighed against every run that overlaps it, wherever its
     * reading range ends. (A chain of overlapping runs longer than that could still be read otherwise near an end.)
     */
    private static final Duration LONGEST_WINDOW = Duration.ofSeconds(EventSourceMappingConfig.MAX_TUMBLING_WINDOW_SECONDS);

    public AggregatesQuery(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    public String tableName() {
        return tableName;
    }

    /**
     * @param windows            by window then vendor
     * @param partialWindows     window starts with sums of some shards (a counted run) and a shard whose run is not
     *                           complete (its final invoke to come, or given up): the sums are those of the others
     * @param begunWindows       window starts that runs began and no shard completed (still open, or every final
     *                           invoke given up): nothing of them is counted, so none is among the windows
     * @param rejected           per window start, the user records its counted runs left out (unclean, duplicate,
     *                           refused); a window of the previous format, or with none left out, is absent
     * @param complete           whether everything in the range was read, or the reading stopped at its bound
     * @param skipped            the items read that are not window aggregates (put there by hand or by another program)
     */
    public record Result(List<WindowAggregate> windows, Set<Instant> partialWindows, Set<Instant> begunWindows,
                         Map<Instant, Long> rejected, boolean complete, SkippedItems skipped) {
        public Result {
            windows = List.copyOf(windows);
            partialWindows = Set.copyOf(partialWindows);
            begunWindows = Set.copyOf(begunWindows);
            rejected = Map.copyOf(rejected);
        }

        /** The window starts a shard has not completed: partial, or only begun. */
        public Set<Instant> incompleteWindows() {
            Set<Instant> all = new TreeSet<>(partialWindows);
            all.addAll(begunWindows);
            return all;
        }
    }

    /** Every window in the range, of the given vendors (all vendors when empty), by window then vendor. */
    public List<WindowAggregate> find(TimeRange range, Set<Long> vendors) {
        return read(range, vendors, Integer.MAX_VALUE).windows();
    }

    /**
     * As {@link #find}, with the windows that are not complete, reading at most about {@code maxItemsRead} items (whole
     * pages of at most 1,000): a view's poll must stay light whatever the table holds.
     */
    public Result read(TimeRange range, Set<Long> vendors, int maxItemsRead) {
        ReadBound bound = new ReadBound(maxItemsRead);
        SkippedItems.Tally skipped = new SkippedItems.Tally();
        List<AggregateItems.Decoded> markers = new ArrayList<>();
        forEachPage(query(AggregateItems.MARKER_VENDOR, range), bound, page -> markers.addAll(decode(page.items(), range, skipped)));
        AggregateReading.Choice choice = AggregateReading.choose(withMargins(markers, range, maxItemsRead));

        Set<Long> wanted = new TreeSet<>(vendors);
        boolean scan = false;
        if (wanted.isEmpty()) {
            for (AggregateItems.Decoded m : markers) {
                if (choice.counts(m)) {
                    if (m.vendorIds().isPresent()) {
                        wanted.addAll(m.vendorIds().get());
                    } else if (m.passengers() > 0 || m.trips() > 0) {
                        scan = true; // a part of more vendors than its marker lists
                    }
                }
            }
            scan |= markers.isEmpty(); // nothing of this format here: the previous format's items, if any
        }
        List<AggregateItems.Decoded> items = new ArrayList<>();
        if (scan) {
            scan(range, bound, items, skipped);
        } else {
            for (long vendor : wanted) {
                forEachPage(query(vendor, range), bound, page -> items.addAll(decode(page.items(), range, skipped)));
            }
        }
        Set<Instant> partial = new TreeSet<>();
        Set<Instant> begun = new TreeSet<>();
        choice.incompleteShards().keySet().stream().filter(w -> range.contains(Instant.parse(w)))
                .forEach(w -> (choice.completeShards().containsKey(w) ? partial : begun).add(Instant.parse(w)));
        Map<Instant, Long> rejected = new TreeMap<>();
        choice.rejected().forEach((w, n) -> {
            if (n > 0 && range.contains(Instant.parse(w))) {
                rejected.put(Instant.parse(w), n);
            }
        });
        return new Result(sum(items, choice), partial, begun, rejected, !bound.stopped, skipped.result());
    }

    /**
     * What the table counts of one shard's window: the Kinesis records its counted runs covered (none when no run of
     * it is complete), and how many parts it holds, with their markers, of runs that are not counted (in progress, given
     * up, or replaced by a run that covered more).
     *
     * @param countedElsewhere none of its runs counts, but each is whole: a run of a window of another length that holds
     *                         its records counts instead (a redrive given a longer window, a window length changed)
     */
    public record ShardWindowCount(OptionalLong countedRecords, int uncountedParts, boolean countedElsewhere) {
    }

    /** What the table counts of {@code shardId}'s window starting at {@code windowStart} (its markers only: a light read). */
    public ShardWindowCount shardWindow(Instant windowStart, String shardId) {
        TimeRange range = new TimeRange(Optional.of(windowStart), Optional.of(windowStart.plusMillis(1)));
        List<AggregateItems.Decoded> markers = new ArrayList<>();
        // stray items are left out without a word: the aggregates command is where they are reported
        forEachPage(query(AggregateItems.MARKER_VENDOR, range), new ReadBound(Integer.MAX_VALUE),
                page -> decode(page.items(), range, new SkippedItems.Tally()).stream().filter(m -> m.shardId().equals(shardId)).forEach(markers::add));
        AggregateReading.Choice choice = AggregateReading.choose(withMargins(markers, range, Integer.MAX_VALUE).stream()
                .filter(m -> m.shardId().equals(shardId)).toList());
        // several runs of one start may count (windows of other lengths): their records add up
        long[] records = markers.stream().filter(m -> m.endsRun() && choice.counts(m)).mapToLong(AggregateItems.Decoded::runRecords)
                .toArray();
        OptionalLong counted = records.length == 0 ? OptionalLong.empty() : OptionalLong.of(java.util.Arrays.stream(records).sum());
        int uncounted = (int) markers.stream().filter(m -> m.partMarker() && !choice.counts(m)).count();
        // window starts compared as instants: a start is kept as the event wrote it, which may not be Instant's form
        boolean elsewhere = counted.isEmpty() && !markers.isEmpty() && choice.incompleteShards().entrySet().stream()
                .noneMatch(e -> Instant.parse(e.getKey()).equals(windowStart) && e.getValue().contains(shardId));
        return new ShardWindowCount(counted, uncounted, elsewhere);
    }

    /**
     * The markers of the range, and those of the windows that start up to {@link #LONGEST_WINDOW} before it or after it,
     * which may hold records of the range's windows: which runs count is decided over all of them. The margins are
     * read under a bound of their own, so that a bounded read spends its own on the range.
     */
    private List<AggregateItems.Decoded> withMargins(List<AggregateItems.Decoded> inRange, TimeRange range, int maxItemsRead) {
        List<AggregateItems.Decoded> all = new ArrayList<>(inRange);
        List<TimeRange> margins = new ArrayList<>();
        range.from().ifPresent(from -> margins.add(new TimeRange(Optional.of(from.minus(LONGEST_WINDOW)), Optional.of(from))));
        range.to().ifPresent(to -> margins.add(new TimeRange(Optional.of(to), Optional.of(to.plus(LONGEST_WINDOW)))));
        SkippedItems.Tally outOfRange = new SkippedItems.Tally(); // the range's own reads report what they skip
        for (TimeRange margin : margins) {
            forEachPage(query(AggregateItems.MARKER_VENDOR, margin), new ReadBound(maxItemsRead), page -> all.addAll(decode(page.items(), margin, outOfRange)));
        }
        return all;
    }

    /**
     * The newest {@code windows} window starts at or after {@code since}, with every vendor's aggregate in them, for a
     * view that must stay light: the newest markers first (one Query page, or a few), then the vendors of those windows.
     * Without markers (a table of the previous format), a Scan. Either way at most about twice {@code maxItemsRead}
     * items are read; {@link RecentWindows#complete()} says whether everything was.
     */
    public RecentWindows recent(Optional<Instant> since, Set<Long> vendors, int windows, int maxItemsRead) {
        if (windows < 1 || maxItemsRead < 1) {
            throw new IllegalArgumentException("windows and maxItemsRead must be positive");
        }
        TimeRange range = new TimeRange(since, Optional.empty());
        TreeSet<Instant> starts = new TreeSet<>(Comparator.reverseOrder());
        boolean begun = false;
        Map<String, AttributeValue> startKey = null;
        int read = 0;
        do {
            QueryRequest.Builder request = query(AggregateItems.MARKER_VENDOR, range).scanIndexForward(false)
                    .limit(Math.max(1, Math.min(1000, maxItemsRead - read)));
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamo.query(request.build());
            read += page.count();
            // stray items are left out, silently: a view has no place to say it, and read() below meets them again;
            // so are openings: a window whose every run has only begun has nothing to show yet
            for (AggregateItems.Decoded m : decode(page.items(), range, new SkippedItems.Tally())) {
                if (m.opening()) {
                    begun = true;
                } else {
                    starts.add(Instant.parse(m.windowStart()));
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && starts.size() <= windows && read < maxItemsRead);
        if (starts.isEmpty() && begun) {
            // runs begun and none of them written yet (or the bound spent on their openings): no sums to show
            return new RecentWindows(List.of(), startKey == null, Set.of());
        }
        if (starts.isEmpty()) {
            Result all = read(range, vendors, maxItemsRead);
            return new RecentWindows(newestStarts(all.windows(), windows), all.complete(), Set.of());
        }
        List<Instant> newest = starts.stream().limit(windows).toList();
        TimeRange span = new TimeRange(Optional.of(newest.get(newest.size() - 1)), Optional.of(newest.get(0).plusMillis(1)));
        // a bound of its own: the markers read above are few, and reading them again keeps read() one simple path
        Result result = read(span, vendors, maxItemsRead);
        return new RecentWindows(result.windows(), result.complete(), result.partialWindows());
    }

    /** The aggregates whose window start is one of the newest {@code windows} starts, by window then vendor. */
    private static List<WindowAggregate> newestStarts(List<WindowAggregate> aggregates, int windows) {
        TreeSet<Instant> starts = new TreeSet<>(Comparator.reverseOrder());
        aggregates.forEach(a -> starts.add(a.windowStart()));
        Set<Instant> kept = new TreeSet<>(starts.stream().limit(windows).toList());
        List<WindowAggregate> newest = new ArrayList<>(aggregates.stream().filter(a -> kept.contains(a.windowStart())).toList());
        newest.sort(WindowAggregate.BY_WINDOW_THEN_VENDOR);
        return newest;
    }

    /**
     * Recent windows, whether they come from the whole table or from a bounded part of it, and which of them hold the
     * sums of some shards only ({@link Result#partialWindows}).
     */
    public record RecentWindows(List<WindowAggregate> windows, boolean complete, Set<Instant> partialWindows) {
        public RecentWindows {
            windows = List.copyOf(windows);
            partialWindows = Set.copyOf(partialWindows);
        }
    }

    private static List<WindowAggregate> sum(List<AggregateItems.Decoded> items, AggregateReading.Choice choice) {
        List<WindowAggregate> found = new ArrayList<>();
        AggregateReading.counted(items, choice).forEach((window, byVendor) -> byVendor.forEach((vendor, parts) -> {
            long passengers = 0;
            long trips = 0;
            BigDecimal distance = BigDecimal.ZERO;
            long duration = 0;
            boolean measured = false;
            for (AggregateItems.Decoded d : parts) {
                measured |= d.measured();
                passengers += d.passengers();
                trips += d.trips();
                distance = distance.add(d.distance());
                duration += d.duration();
            }
            found.add(new WindowAggregate(vendor, Instant.parse(window), Instant.parse(parts.get(0).windowEnd()), passengers, trips,
                    measured ? Optional.of(distance.stripTrailingZeros()) : Optional.empty(),
                    measured ? Optional.of(BigDecimal.valueOf(duration)) : Optional.empty()));
        }));
        found.sort(WindowAggregate.BY_WINDOW_THEN_VENDOR);
        return found;
    }

    /** The window aggregates of the range among {@code items}; the others are tallied in {@code skipped}. */
    private static List<AggregateItems.Decoded> decode(List<Map<String, AttributeValue>> items, TimeRange range,
                                                       SkippedItems.Tally skipped) {
        List<AggregateItems.Decoded> decoded = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            AggregateItems.Reading reading = AggregateItems.read(item);
            if (reading instanceof AggregateItems.NotAnAggregate n) {
                skipped.add(item, n);
            } else if (reading instanceof AggregateItems.Decoded d && range.contains(Instant.parse(d.windowStart()))) {
                decoded.add(d);
            }
        }
        return decoded;
    }

    /** How many items a read may still look at, and whether it had to stop before the end. */
    private static final class ReadBound {
        private int left;
        private boolean stopped;

        ReadBound(int maxItemsRead) {
            this.left = maxItemsRead;
        }

        /** The page size of the next request, or 0 when the bound is spent (and the read marked as stopped). */
        int nextPage() {
            if (left <= 0) {
                stopped = true;
                return 0;
            }
            return Math.min(1000, left);
        }

        void read(int items) {
            left -= items;
        }
    }

    private void scan(TimeRange range, ReadBound bound, List<AggregateItems.Decoded> into, SkippedItems.Tally skipped) {
        Map<String, AttributeValue> values = new HashMap<>();
        Optional<String> filter = sortKeyCondition(range, values);
        ScanRequest.Builder request = ScanRequest.builder().tableName(tableName);
        filter.ifPresent(f -> request.filterExpression(f).expressionAttributeValues(values));
        readPages(bound, (limit, start) -> {
            ScanResponse r = dynamo.scan(request.limit(limit).exclusiveStartKey(start).build());
            return new Page(r.items(), r.scannedCount(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
        }, items -> into.addAll(decode(items, range, skipped)));
    }

    private void forEachPage(QueryRequest.Builder request, ReadBound bound, Consumer<QueryResponse> pages) {
        readPages(bound, (limit, start) -> {
            QueryResponse r = dynamo.query(request.limit(limit).exclusiveStartKey(start).build());
            pages.accept(r);
            return new Page(List.of(), r.scannedCount(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
        }, items -> { });
    }

    /** One page of a Query or Scan: its items, how many it read, and where the next starts (null at the end). */
    private record Page(List<Map<String, AttributeValue>> items, int scanned, Map<String, AttributeValue> lastKey) {
    }

    /** Reads pages to the end, or until the bound is spent (and the read marked as stopped). */
    private static void readPages(ReadBound bound, BiFunction<Integer, Map<String, AttributeValue>, Page> read,
                                  Consumer<List<Map<String, AttributeValue>>> items) {
        Map<String, AttributeValue> startKey = null;
        do {
            int page = bound.nextPage();
            if (page == 0) {
                return;
            }
            Page p = read.apply(page, startKey);
            bound.read(p.scanned());
            items.accept(p.items());
            startKey = p.lastKey() == null || p.lastKey().isEmpty() ? null : p.lastKey();
        } while (startKey != null);
    }

    private QueryRequest.Builder query(long vendor, TimeRange range) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":vendor", AttributeValue.fromN(Long.toString(vendor)));
        String condition = AggregateItems.VENDOR_ID + " = :vendor" + sortKeyCondition(range, values).map(c -> " AND " + c).orElse("");
        return QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression(condition)
                .expressionAttributeValues(values);
    }

    /** The bounds are whole seconds one second wider than the range (see {@link TimeRange}): parts' keys fall inside. */
    private static Optional<String> sortKeyCondition(TimeRange range, Map<String, AttributeValue> values) {
        Optional<String> lower = range.lowerKeyBound();
        Optional<String> upper = range.upperKeyBound();
        lower.ifPresent(l -> values.put(":from", AttributeValue.fromS(l)));
        upper.ifPresent(u -> values.put(":to", AttributeValue.fromS(u)));
        if (lower.isPresent() && upper.isPresent()) {
            return Optional.of(AggregateItems.SORT_KEY + " BETWEEN :from AND :to");
        }
        if (lower.isPresent()) {
            return Optional.of(AggregateItems.SORT_KEY + " >= :from");
        }
        return upper.map(u -> AggregateItems.SORT_KEY + " <= :to");
    }
}
