package dev.kinesisaggs.function.tables;

import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowTotals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items of the aggregates table: the one owner of their keys, attribute names, encoding and decoding,
 * used by the function that writes them and by the command line and dashboard that read them.
 *
 * <p>The table keeps the lab's keys (partition key {@code vendorId} N) and ours (sort key {@code windowStart} S).
 * A window is written per shard, per run, per part (see {@code WindowRun} in the core):
 * <ul>
 *   <li>a <b>vendor item</b> per vendor of a part: key ({@code vendorId}, {@code <windowStart>#<shardId>#<run>#<part>}),
 *       with the part's sums {@code passenger} (the lab's name), {@code trips}, {@code distance}, {@code duration};</li>
 *   <li>a <b>part marker</b>, written after the part's vendor items: key ({@code vendorId} 0, the same sort key), with
 *       the part's totals over all its vendors, its vendor count (and ids, when few), its run's first record, and on
 *       the run's last part {@code endsRun} with the number of parts of the run and of Kinesis records it covered.</li>
 * </ul>
 * A window's aggregate for a vendor is the sum of its vendor items of the parts of the complete runs that count: of
 * each shard's runs, those with disjoint record ranges that cover the most records ({@link AggregateReading}). Items of the previous format (sort key the bare window start, sums added per part with
 * the part ids in {@code parts}) are read as complete totals ({@link Decoded#legacy()}).
 */
public final class AggregateItems {

    /** The marker's vendor id: vendors are numbered from 1. */
    public static final long MARKER_VENDOR = 0;
    /** Separates the window start, shard, run and part in the sort key ('#' sorts before digits and letters). */
    public static final char SEPARATOR = '#';
    /** Above every sort key of a window start: {@code windowStart BETWEEN start AND start + "~"} covers its parts. */
    public static final String AFTER_PARTS = "~";
    /** The most vendor ids a marker lists. */
    static final int MAX_LISTED_VENDORS = 100;

    public static final String VENDOR_ID = Tables.VENDOR_ID;
    public static final String SORT_KEY = Tables.WINDOW_START;
    public static final String WINDOW = "window";
    public static final String WINDOW_END = "windowEnd";
    public static final String SHARD_ID = "shardId";
    public static final String RUN = "run";
    public static final String RUN_START = "runStart";
    public static final String PART = "part";
    public static final String FIRST = "first";
    public static final String LAST = "last";
    public static final String ENDS_RUN = "endsRun";
    public static final String PARTS = "parts";
    public static final String RECORDS = "records";
    public static final String REJECTED = "rejected";
    public static final String VENDORS = "vendors";
    public static final String VENDOR_IDS = "vendorIds";
    public static final String PASSENGER = "passenger";
    public static final String TRIPS = "trips";
    public static final String DISTANCE = "distance";
    public static final String DURATION = "duration";

    /** Where a part belongs: the window as the event gives it, and the shard. */
    public record PartPlace(String windowStart, String windowEnd, String shardId) {
        public PartPlace {
            Objects.requireNonNull(windowStart, "windowStart");
            Objects.requireNonNull(windowEnd, "windowEnd");
            Objects.requireNonNull(shardId, "shardId");
        }
    }

    private AggregateItems() {
    }

    /** The sort key of a part's items. */
    public static String sortKey(PartPlace place, ClosedPart part) {
        return place.windowStart() + SEPARATOR + place.shardId() + SEPARATOR + part.run() + SEPARATOR + part.index();
    }

    public static Map<String, AttributeValue> key(long vendorId, String sortKey) {
        return Map.of(VENDOR_ID, AttributeValue.fromN(Long.toString(vendorId)), SORT_KEY, AttributeValue.fromS(sortKey));
    }

    /** The vendor items of a part, by vendor id. */
    public static Map<Integer, Map<String, AttributeValue>> vendorItems(PartPlace place, ClosedPart part) {
        Map<Integer, Map<String, AttributeValue>> items = new HashMap<>();
        String sortKey = sortKey(place, part);
        part.totals().byVendor().forEach((vendor, totals) -> {
            Map<String, AttributeValue> item = common(place, part, vendor, sortKey);
            putSums(item, totals);
            items.put(vendor, item);
        });
        return items;
    }

    /** The part's marker: written last, it says that the part is whole. */
    public static Map<String, AttributeValue> marker(PartPlace place, ClosedPart part) {
        Map<String, AttributeValue> item = common(place, part, MARKER_VENDOR, sortKey(place, part));
        item.put(RUN_START, AttributeValue.fromS(part.runStart()));
        if (part.first() != null) {
            item.put(FIRST, AttributeValue.fromS(part.first()));
            item.put(LAST, AttributeValue.fromS(part.last()));
        }
        item.put(VENDORS, AttributeValue.fromN(Integer.toString(part.totals().byVendor().size())));
        if (!part.totals().isEmpty() && part.totals().byVendor().size() <= MAX_LISTED_VENDORS) {
            item.put(VENDOR_IDS, AttributeValue.fromNs(part.totals().byVendor().keySet().stream().map(String::valueOf).toList()));
        }
        if (part.endsRun()) {
            item.put(ENDS_RUN, AttributeValue.fromBool(true));
            item.put(PARTS, AttributeValue.fromN(Integer.toString(part.index() + 1)));
            item.put(RECORDS, AttributeValue.fromN(Long.toString(part.runRecords())));
            item.put(REJECTED, AttributeValue.fromN(Long.toString(part.runRejected())));
        }
        VendorTotals all = VendorTotals.ZERO;
        for (VendorTotals t : part.totals().byVendor().values()) {
            all = all.plus(t);
        }
        putSums(item, all);
        return item;
    }

    private static Map<String, AttributeValue> common(PartPlace place, ClosedPart part, long vendorId, String sortKey) {
        Map<String, AttributeValue> item = new HashMap<>(key(vendorId, sortKey));
        item.put(WINDOW, AttributeValue.fromS(place.windowStart()));
        item.put(WINDOW_END, AttributeValue.fromS(place.windowEnd()));
        item.put(SHARD_ID, AttributeValue.fromS(place.shardId()));
        item.put(RUN, AttributeValue.fromS(part.run()));
        item.put(PART, AttributeValue.fromN(Integer.toString(part.index())));
        return item;
    }

    private static void putSums(Map<String, AttributeValue> item, VendorTotals t) {
        item.put(PASSENGER, AttributeValue.fromN(Long.toString(t.passengers())));
        item.put(TRIPS, AttributeValue.fromN(Long.toString(t.trips())));
        item.put(DISTANCE, AttributeValue.fromN(BigDecimal.valueOf(t.gcDistanceMicros(), 6).stripTrailingZeros().toPlainString()));
        item.put(DURATION, AttributeValue.fromN(Long.toString(t.tripDurationSeconds())));
    }

    /**
     * An item of the table, read back.
     *
     * @param vendorId    the vendor, or {@link #MARKER_VENDOR} for a marker
     * @param windowStart the window's start
     * @param windowEnd   the window's end
     * @param shardId     the shard (empty for a legacy item)
     * @param run         the run (empty for a legacy item)
     * @param part        the part's index in its run
     * @param runStart    the run's first record (markers)
     * @param last        the last record the part covered (markers of parts that covered one)
     * @param endsRun     the marker of a run's last part
     * @param parts       the number of parts of the run (on the marker of its last part)
     * @param runRecords  the Kinesis records the run covered (on the marker of its last part; 0 when not recorded)
     * @param runRejected the user records of those not counted: unclean, duplicate, refused (on the marker of its
     *                    last part; 0 when not recorded)
     * @param vendorIds   the part's vendors (markers of parts with few vendors)
     * @param legacy      written by the previous format: a complete total of its window
     * @param measured    whether the item has distance and duration (the lab's items of the previous format have
     *                    neither: read as zero, and displayed as absent when no item of the window has them)
     */
    public record Decoded(long vendorId, String sortKey, String windowStart, String windowEnd, String shardId, String run,
                          int part, Optional<BigInteger> runStart, Optional<BigInteger> last, boolean endsRun, int parts, long runRecords, long runRejected,
                          Optional<List<Long>> vendorIds,
                          long passengers, long trips, BigDecimal distance, long duration, boolean legacy,
                          boolean measured) {

        public boolean marker() {
            return vendorId == MARKER_VENDOR && !legacy;
        }

        /** The part this item belongs to: window, shard, run and index. */
        public String partKey() {
            return sortKey;
        }
    }

    /** Reads an item of either format; one that has neither is not one of ours, which is unexpected. */
    public static Decoded decode(Map<String, AttributeValue> item) {
        long vendorId = Long.parseLong(required(item, VENDOR_ID).n());
        String sortKey = required(item, SORT_KEY).s();
        boolean legacy = sortKey.indexOf(SEPARATOR) < 0;
        String windowStart = legacy ? sortKey : required(item, WINDOW).s();
        Optional<List<Long>> vendorIds = Optional.ofNullable(item.get(VENDOR_IDS)).filter(v -> v.hasNs())
                .map(v -> v.ns().stream().map(Long::parseLong).sorted().toList());
        return new Decoded(vendorId, sortKey, windowStart, required(item, WINDOW_END).s(),
                legacy ? "" : required(item, SHARD_ID).s(), legacy ? "" : required(item, RUN).s(),
                legacy ? 0 : Integer.parseInt(required(item, PART).n()),
                Optional.ofNullable(item.get(RUN_START)).map(v -> new BigInteger(v.s())),
                Optional.ofNullable(item.get(LAST)).map(v -> new BigInteger(v.s())),
                item.get(ENDS_RUN) != null && Boolean.TRUE.equals(item.get(ENDS_RUN).bool()),
                legacy || item.get(PARTS) == null ? 0 : Integer.parseInt(item.get(PARTS).n()), // the previous format's parts is a set
                item.get(RECORDS) == null ? 0 : Long.parseLong(item.get(RECORDS).n()),
                item.get(REJECTED) == null ? 0 : Long.parseLong(item.get(REJECTED).n()),
                vendorIds,
                Long.parseLong(required(item, PASSENGER).n()), Long.parseLong(required(item, TRIPS).n()),
                item.get(DISTANCE) == null ? BigDecimal.ZERO : new BigDecimal(item.get(DISTANCE).n()),
                item.get(DURATION) == null ? 0 : new BigDecimal(item.get(DURATION).n()).longValueExact(),
                legacy, item.get(DISTANCE) != null && item.get(DURATION) != null);
    }

    private static AttributeValue required(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            throw new IllegalStateException("An item of the aggregates table has no '" + name + "': " + item);
        }
        return value;
    }

    /** The totals of decoded vendor items, by vendor. */
    public static WindowTotals totals(List<Decoded> items) {
        Map<Integer, VendorTotals> byVendor = new HashMap<>();
        for (Decoded d : items) {
            if (d.vendorId() >= 1) {
                byVendor.merge((int) d.vendorId(), new VendorTotals(d.passengers(), d.trips(),
                        d.distance().movePointRight(6).longValue(), d.duration()), VendorTotals::plus);
            }
        }
        return new WindowTotals(byVendor);
    }
}
