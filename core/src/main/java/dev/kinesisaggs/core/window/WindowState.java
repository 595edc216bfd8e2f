package dev.kinesisaggs.core.window;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a shard's window carries from one Lambda invocation to the next: which <em>run</em> of the window
 * this is, which of the run's parts is open, the Kinesis records the open part covers, and its per-vendor
 * totals. See {@link WindowRun} for why a window is counted in runs and parts.
 *
 * <p>It travels as the {@code Map<String,String>} of {@code KinesisTimeWindowEvent.getState()} and
 * {@code TimeWindowEventResponse.state} (AWS recommends string maps for Java). Version 2 looks like
 * <pre>
 * {"v":"2", "run":"8f507cfc-...", "start":"4959...8898", "n":"1042", "x":"3", "part":"0", "first":"4959...8898",
 *  "last":"4959...9123", "1":"282,170,812345678,102345", "2":"715,301,1702345678,190345"}
 * </pre>
 * one entry per vendor of the open part, keyed by vendor id, valued
 * {@code passengers,trips,gcDistanceMicros,tripDurationSeconds}: under 50 bytes per vendor. A run closes its
 * open part at {@link WindowRun#MAX_PART_VENDORS} vendors, so the state stays under a quarter of Lambda's 1 MB
 * limit and Lambda never terminates a window early. An empty map (what Lambda passes at the start of a window)
 * is a fresh window. Version 1 (this code's previous one) is read too, for a window open across a deployment.
 *
 * @param run        the run's id, {@code null} before the window's first record
 * @param runStart   sequence number of the run's first Kinesis record
 * @param records    Kinesis records the run has covered so far ({@code n}; 0 in a state written before it was kept)
 * @param rejected   user records of those that are not counted (unclean, duplicate, refused: {@code x}; 0 in a state
 *                   written before it was kept), so that a window can say how many it left out
 * @param part       index of the open part in the run (0, 1, ...)
 * @param partFirst  sequence number of the open part's first Kinesis record, {@code null} before it has one
 * @param partLast   sequence number of its last Kinesis record so far, {@code null} before it has one
 * @param totals     the open part's totals
 */
public record WindowState(String run, String runStart, long records, long rejected, int part, String partFirst, String partLast,
                          WindowTotals totals) {

    public static final WindowState EMPTY = new WindowState(null, null, 0, 0, 0, null, null, WindowTotals.EMPTY);

    /** The version this code writes. */
    public static final String VERSION = "2";
    static final String VERSION_KEY = "v";
    static final String RUN_KEY = "run";
    static final String START_KEY = "start";
    static final String RECORDS_KEY = "n";
    static final String REJECTED_KEY = "x";
    static final String PART_KEY = "part";
    static final String FIRST_KEY = "first";
    static final String LAST_KEY = "last";

    public WindowState {
        if (totals == null) {
            throw new IllegalArgumentException("window state totals cannot be null");
        }
        if (run != null && (run.isEmpty() || runStart == null)) {
            throw new IllegalArgumentException("a window run has a non-empty id and a first record");
        }
        if (part < 0) {
            throw new IllegalArgumentException("a part index is at least 0, got " + part);
        }
        if (records < 0 || rejected < 0) {
            throw new IllegalArgumentException("a run's record counts are at least 0, got " + records + " and " + rejected);
        }
    }

    /** Nothing seen yet: the start of a window. */
    public boolean isEmpty() {
        return run == null;
    }

    /** The state as Lambda carries it; an empty map at the start of a window. */
    public Map<String, String> toMap() {
        if (isEmpty()) {
            return new HashMap<>();
        }
        Map<String, String> map = new TreeMap<>();
        map.put(VERSION_KEY, VERSION);
        map.put(RUN_KEY, run);
        map.put(START_KEY, runStart);
        map.put(RECORDS_KEY, Long.toString(records));
        if (rejected > 0) {
            map.put(REJECTED_KEY, Long.toString(rejected));
        }
        map.put(PART_KEY, Integer.toString(part));
        if (partFirst != null) {
            map.put(FIRST_KEY, partFirst);
            map.put(LAST_KEY, partLast);
        }
        totals.byVendor().forEach((vendor, t) -> map.put(vendor.toString(),
                t.passengers() + "," + t.trips() + "," + t.gcDistanceMicros() + "," + t.tripDurationSeconds()));
        return map;
    }

    /**
     * Reads a state written by {@link #toMap()} (or by version 1). An empty or null map is a fresh window.
     *
     * @throws IllegalArgumentException when the map was not written by this code: that is a bug
     *                                  (or a foreign function on the same event source), not bad input
     */
    public static WindowState fromMap(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return EMPTY;
        }
        String version = map.get(VERSION_KEY);
        if ("1".equals(version)) {
            return fromVersion1(map);
        }
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("window state has version " + quote(version)
                    + " but this code reads versions 1 and " + VERSION + "; state keys: " + map.keySet());
        }
        String run = required(map, RUN_KEY);
        String start = sequenceNumber(map, START_KEY, required(map, START_KEY));
        long part = parseNonNegative(required(map, PART_KEY), Integer.MAX_VALUE);
        if (part < 0) {
            throw new IllegalArgumentException("window state part \"" + map.get(PART_KEY) + "\" is not a whole number from 0");
        }
        long records = map.get(RECORDS_KEY) == null ? 0 : parseNonNegative(map.get(RECORDS_KEY), Long.MAX_VALUE);
        if (records < 0) {
            throw new IllegalArgumentException("window state \"n\" is \"" + map.get(RECORDS_KEY) + "\", not a whole number from 0");
        }
        long rejected = map.get(REJECTED_KEY) == null ? 0 : parseNonNegative(map.get(REJECTED_KEY), Long.MAX_VALUE);
        if (rejected < 0) {
            throw new IllegalArgumentException("window state \"x\" is \"" + map.get(REJECTED_KEY) + "\", not a whole number from 0");
        }
        String first = map.get(FIRST_KEY) == null ? null : sequenceNumber(map, FIRST_KEY, map.get(FIRST_KEY));
        String last = map.get(LAST_KEY) == null ? null : sequenceNumber(map, LAST_KEY, map.get(LAST_KEY));
        if ((first == null) != (last == null)) {
            throw new IllegalArgumentException("window state has one of \"first\" and \"last\" without the other");
        }
        return new WindowState(run, start, records, rejected, (int) part, first, last, vendorTotals(map, java.util.Set.of(VERSION_KEY,
                RUN_KEY, START_KEY, RECORDS_KEY, REJECTED_KEY, PART_KEY, FIRST_KEY, LAST_KEY)));
    }

    /**
     * Version 1 named the window's part after its shard and first folded record ({@code "part":"shardId:seq"}) and
     * wrote it at the final invoke: it becomes a run of one part whose id is derived from that record, so that a
     * retried final invoke of such a window still writes the same part.
     */
    private static WindowState fromVersion1(Map<String, String> map) {
        WindowTotals totals = vendorTotals(map, java.util.Set.of(VERSION_KEY, PART_KEY));
        String part = map.get(PART_KEY);
        if (part == null) {
            return totals.isEmpty() ? EMPTY : new WindowState("v1", "0", 0, 0, 0, null, null, totals);
        }
        String seq = sequenceNumber(map, PART_KEY, part.substring(part.lastIndexOf(':') + 1));
        return new WindowState("v1-" + seq, seq, 0, 0, 0, seq, seq, totals);
    }

    private static WindowTotals vendorTotals(Map<String, String> map, java.util.Set<String> otherKeys) {
        Map<Integer, VendorTotals> byVendor = new HashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (!otherKeys.contains(e.getKey())) {
                byVendor.put(vendorId(e.getKey()), totals(e.getKey(), required(map, e.getKey())));
            }
        }
        return new WindowTotals(byVendor);
    }

    private static String required(Map<String, String> map, String key) {
        String value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("window state has no value for \"" + key + "\"");
        }
        return value;
    }

    private static String sequenceNumber(Map<String, String> map, String key, String s) {
        if (s.isEmpty() || s.length() > 200 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("window state \"" + key + "\" is \"" + s + "\", not a sequence number");
        }
        return s;
    }

    private static int vendorId(String key) {
        long id = parseNonNegative(key, Integer.MAX_VALUE);
        if (id < 1) {
            throw new IllegalArgumentException("window state key \"" + key
                    + "\" is neither one of the run's keys nor a vendor id (a whole number from 1)");
        }
        return (int) id;
    }

    private static VendorTotals totals(String key, String value) {
        String[] parts = value.split(",", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("window state for vendor " + key + " is \"" + value
                    + "\" but should be passengers,trips,gcDistanceMicros,tripDurationSeconds");
        }
        long[] v = new long[4];
        for (int i = 0; i < 4; i++) {
            v[i] = parseNonNegative(parts[i], Long.MAX_VALUE);
            if (v[i] < 0) {
                throw new IllegalArgumentException("window state for vendor " + key + " is \"" + value
                        + "\" but its four sums must be whole numbers from 0");
            }
        }
        return new VendorTotals(v[0], v[1], v[2], v[3]);
    }

    /** A plain decimal of at most {@code max}, or -1: no sign, no blanks, nothing that Long.parseLong would forgive. */
    private static long parseNonNegative(String s, long max) {
        if (s.isEmpty() || s.length() > 19) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
            if (v < 0 || v > max) {
                return -1;
            }
        }
        return v;
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "\"" + s + "\"";
    }
}
