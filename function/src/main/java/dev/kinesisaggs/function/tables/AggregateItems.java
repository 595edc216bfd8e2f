package dev.kinesisaggs.function.tables;

import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowTotals;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
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
 *       the run's last part {@code endsRun} with the number of parts of the run and of Kinesis records it covered;</li>
 *   <li>a run's <b>opening</b>, written by the invocation that begins the run, before it answers: key ({@code vendorId} 0,
 *       {@code <windowStart>#<shardId>#<run>#opening}), a marker of part {@value #OPENING_PART} with zero sums and the
 *       run's first record. A run of one part writes its part at the window's final invoke only; were that invoke given
 *       up, the run would leave nothing behind, and the window would show the other shards' sums as if whole. Its
 *       opening makes it a run without its last part: incomplete, and reported as such.</li>
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
    /** The part index of a run's opening: before its first part, and never a part of its own. */
    public static final int OPENING_PART = -1;
    /** The last word of an opening's sort key, where a part's has its index. */
    static final String OPENING = "opening";
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
        return runSortKey(place, part.run(), Integer.toString(part.index()));
    }

    /** The sort key of a run's opening. */
    public static String openingSortKey(PartPlace place, String run) {
        return runSortKey(place, run, OPENING);
    }

    /** The one layout of a run's sort keys: window start, shard, run, and the part's index or the opening's word. */
    private static String runSortKey(PartPlace place, String run, String last) {
        return place.windowStart() + SEPARATOR + place.shardId() + SEPARATOR + run + SEPARATOR + last;
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

    /**
     * A run's opening: says that the run began, at {@code runStart}, so that a run whose final invoke is given up before
     * it wrote a part is seen as incomplete. A pure function of the run, as every item here.
     */
    public static Map<String, AttributeValue> opening(PartPlace place, String run, String runStart) {
        Map<String, AttributeValue> item = common(place, run, OPENING_PART, MARKER_VENDOR, openingSortKey(place, run));
        item.put(RUN_START, AttributeValue.fromS(runStart));
        item.put(VENDORS, AttributeValue.fromN("0"));
        putSums(item, VendorTotals.ZERO);
        return item;
    }

    private static Map<String, AttributeValue> common(PartPlace place, ClosedPart part, long vendorId, String sortKey) {
        return common(place, part.run(), part.index(), vendorId, sortKey);
    }

    private static Map<String, AttributeValue> common(PartPlace place, String run, int part, long vendorId, String sortKey) {
        Map<String, AttributeValue> item = new HashMap<>(key(vendorId, sortKey));
        item.put(WINDOW, AttributeValue.fromS(place.windowStart()));
        item.put(WINDOW_END, AttributeValue.fromS(place.windowEnd()));
        item.put(SHARD_ID, AttributeValue.fromS(place.shardId()));
        item.put(RUN, AttributeValue.fromS(run));
        item.put(PART, AttributeValue.fromN(Integer.toString(part)));
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
     * @param part        the part's index in its run ({@link #OPENING_PART} for a run's opening)
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
                          boolean measured) implements Reading {

        /** A part's marker. */
        public boolean partMarker() {
            return ofRun() && part != OPENING_PART;
        }

        /** A run's opening. */
        public boolean opening() {
            return ofRun() && part == OPENING_PART;
        }

        /** An item that says where a run stands (a part's marker or the run's opening), not a vendor's sums. */
        public boolean ofRun() {
            return vendorId == MARKER_VENDOR && !legacy;
        }

        /** The part this item belongs to: window, shard, run and index. */
        public String partKey() {
            return sortKey;
        }
    }

    /** An item of the aggregates table read back: a part of a window aggregate, or something else. */
    public sealed interface Reading permits Decoded, NotAnAggregate {
    }

    /**
     * An item that is not one of ours (put there by hand or by another program): its key, as a message names it
     * ({@code vendorId 1, windowStart "garbage"}), and the first thing that makes it no window aggregate.
     */
    public record NotAnAggregate(String key, String reason) implements Reading {
    }

    /**
     * Reads an item of either format. Anyone may put items into the table, so an item that is neither is a result, not
     * an error: readers skip it and say so, and one such item does not hide the windows.
     */
    public static Reading read(Map<String, AttributeValue> item) {
        try {
            return decodeOrThrow(item);
        } catch (Unreadable e) {
            return new NotAnAggregate(keyOf(item), e.getMessage());
        }
    }

    /** Reads an item that must be one of ours (the function's own writes, read back): one that is not is a bug. */
    public static Decoded decode(Map<String, AttributeValue> item) {
        Reading reading = read(item);
        if (reading instanceof NotAnAggregate n) {
            throw new IllegalStateException("An item of the aggregates table is not a window aggregate (" + n.key() + ": "
                    + n.reason() + "): " + item);
        }
        return (Decoded) reading;
    }

    private static Decoded decodeOrThrow(Map<String, AttributeValue> item) {
        long vendorId = number(item, VENDOR_ID, Long::parseLong);
        String sortKey = text(item, SORT_KEY);
        boolean legacy = sortKey.indexOf(SEPARATOR) < 0;
        String windowStart = legacy ? sortKey : text(item, WINDOW);
        Optional<List<Long>> vendorIds = Optional.ofNullable(item.get(VENDOR_IDS)).filter(v -> v.hasNs())
                .map(v -> v.ns().stream().map(n -> parsed(VENDOR_IDS, n, Long::parseLong)).sorted().toList());
        Decoded decoded = new Decoded(vendorId, sortKey, windowStart, text(item, WINDOW_END),
                legacy ? "" : text(item, SHARD_ID), legacy ? "" : text(item, RUN),
                legacy ? 0 : number(item, PART, Integer::parseInt),
                optionalText(item, RUN_START).map(v -> parsed(RUN_START, v, BigInteger::new)),
                optionalText(item, LAST).map(v -> parsed(LAST, v, BigInteger::new)),
                item.get(ENDS_RUN) != null && Boolean.TRUE.equals(item.get(ENDS_RUN).bool()),
                legacy || item.get(PARTS) == null ? 0 : number(item, PARTS, Integer::parseInt), // the previous format's parts is a set
                item.get(RECORDS) == null ? 0 : number(item, RECORDS, Long::parseLong),
                item.get(REJECTED) == null ? 0 : number(item, REJECTED, Long::parseLong),
                vendorIds,
                number(item, PASSENGER, Long::parseLong), number(item, TRIPS, Long::parseLong),
                item.get(DISTANCE) == null ? BigDecimal.ZERO : number(item, DISTANCE, BigDecimal::new),
                item.get(DURATION) == null ? 0 : number(item, DURATION, n -> new BigDecimal(n).longValueExact()),
                legacy, item.get(DISTANCE) != null && item.get(DURATION) != null);
        // checked last, so that an item without the attributes of an aggregate says that first
        instant(legacy ? SORT_KEY : WINDOW, windowStart);
        instant(WINDOW_END, decoded.windowEnd());
        return decoded;
    }

    /** Why an item is not an aggregate: thrown and caught within {@link #read} only. */
    private static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable(String reason) {
            super(reason, null, false, false); // no trace: it is a result, made into one in read()
        }
    }

    private static AttributeValue required(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            throw new Unreadable("no " + name);
        }
        return value;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        String s = required(item, name).s();
        if (s == null) {
            throw new Unreadable(name + " is not a string");
        }
        return s;
    }

    private static Optional<String> optionalText(Map<String, AttributeValue> item, String name) {
        return item.get(name) == null ? Optional.empty() : Optional.of(text(item, name));
    }

    private static <T> T number(Map<String, AttributeValue> item, String name, Function<String, T> parse) {
        String n = required(item, name).n();
        if (n == null) {
            throw new Unreadable(name + " is not a number");
        }
        return parsed(name, n, parse);
    }

    private static <T> T parsed(String name, String text, Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new Unreadable("cannot read " + name + " " + quoted(text));
        }
    }

    /** The window's bounds are instants: the readers compare and sort them as such. */
    private static void instant(String name, String text) {
        try {
            Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Unreadable(name + " " + quoted(text) + " is not an instant");
        }
    }

    /** A value in a message: quoted, and cut when long (a sort key may have 1,024 bytes, a string attribute far more). */
    private static String quoted(String text) {
        return "\"" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "\"";
    }

    /** The key as a message names it: {@code vendorId 1, windowStart "2016-01-01T00:00:00Z"}. */
    private static String keyOf(Map<String, AttributeValue> item) {
        List<String> parts = new ArrayList<>();
        AttributeValue vendor = item.get(VENDOR_ID);
        if (vendor != null) {
            parts.add(VENDOR_ID + " " + (vendor.n() != null ? vendor.n() : vendor.toString()));
        }
        AttributeValue sortKey = item.get(SORT_KEY);
        if (sortKey != null) {
            parts.add(SORT_KEY + " " + (sortKey.s() != null ? quoted(sortKey.s()) : sortKey.toString()));
        }
        return parts.isEmpty() ? "an item without " + VENDOR_ID + " and " + SORT_KEY : String.join(", ", parts);
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
