package dev.kinesisaggs.core.window;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a shard's window carries from one Lambda invocation to the next: the id of this part of the
 * window (once a record is folded) and the per-vendor totals so far.
 *
 * <p>It travels as the {@code Map<String,String>} of {@code KinesisTimeWindowEvent.getState()} and
 * {@code TimeWindowEventResponse.state} (AWS recommends string maps for Java). Version 1 looks like
 * <pre>
 * {"v":"1", "part":"shardId-000000000006:4959033827149025660855969253836157109592157598913658889",
 *  "1":"282,170,812345678,102345", "2":"715,301,1702345678,190345"}
 * </pre>
 * one entry per vendor, keyed by vendor id, valued {@code passengers,trips,gcDistanceMicros,tripDurationSeconds}.
 * That is under 50 bytes of JSON per vendor, so the 1 MB limit on window state would need some 20,000
 * vendors in one shard's window. An empty map (what Lambda passes at the start of a window) is a fresh window.
 *
 * @param part   this part's id, {@code null} until the first record is folded
 * @param totals the totals so far
 */
public record WindowState(WindowPartId part, WindowTotals totals) {

    public static final WindowState EMPTY = new WindowState(null, WindowTotals.EMPTY);

    /** The only version this code writes, and the only one it reads. */
    public static final String VERSION = "1";
    static final String VERSION_KEY = "v";
    static final String PART_KEY = "part";

    public WindowState {
        if (totals == null) {
            throw new IllegalArgumentException("window state totals cannot be null");
        }
    }

    public Optional<WindowPartId> partId() {
        return Optional.ofNullable(part);
    }

    /** Nothing folded yet. */
    public boolean isEmpty() {
        return part == null && totals.isEmpty();
    }

    /** The state as Lambda carries it; an empty map when nothing was folded. */
    public Map<String, String> toMap() {
        if (isEmpty()) {
            return new HashMap<>();
        }
        Map<String, String> map = new TreeMap<>();
        map.put(VERSION_KEY, VERSION);
        if (part != null) {
            map.put(PART_KEY, part.toString());
        }
        totals.byVendor().forEach((vendor, t) -> map.put(vendor.toString(),
                t.passengers() + "," + t.trips() + "," + t.gcDistanceMicros() + "," + t.tripDurationSeconds()));
        return map;
    }

    /**
     * Reads a state written by {@link #toMap()}. An empty or null map is a fresh window.
     *
     * @throws IllegalArgumentException when the map was not written by this code: that is a bug
     *                                  (or a foreign function on the same event source), not bad input
     */
    public static WindowState fromMap(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return EMPTY;
        }
        String version = map.get(VERSION_KEY);
        if (!VERSION.equals(version)) {
            throw new IllegalArgumentException("window state has version " + quote(version)
                    + " but this code reads version " + VERSION + "; state keys: " + map.keySet());
        }
        WindowPartId part = null;
        Map<Integer, VendorTotals> byVendor = new HashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            String key = e.getKey();
            if (VERSION_KEY.equals(key)) {
                continue;
            }
            if (PART_KEY.equals(key)) {
                part = WindowPartId.parse(required(e));
                continue;
            }
            byVendor.put(vendorId(key), totals(key, required(e)));
        }
        return new WindowState(part, new WindowTotals(byVendor));
    }

    private static String required(Map.Entry<String, String> e) {
        if (e.getValue() == null) {
            throw new IllegalArgumentException("window state entry \"" + e.getKey() + "\" has a null value");
        }
        return e.getValue();
    }

    private static int vendorId(String key) {
        long id = parseNonNegative(key, Integer.MAX_VALUE);
        if (id < 1) {
            throw new IllegalArgumentException("window state key \"" + key
                    + "\" is neither \"v\", \"part\" nor a vendor id (a whole number from 1)");
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
