package dev.kinesisaggs.core.window;

import dev.kinesisaggs.core.trip.Trip;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-vendor sums of a window part as its trips are folded (see {@link WindowRun}).
 *
 * <p>{@link #fold(Trip)} allocates nothing once the trip's vendor is known: sums live in primitive
 * arrays behind a small open-addressing table keyed by vendor id. Not thread-safe: one per invocation.
 * It expects clean trips (see {@code TripRules}); negative optional values, which clean trips never
 * hold, count as 0.
 */
public final class WindowAccumulator {

    private static final int EMPTY_SLOT = 0; // vendor ids are at least 1

    private int[] vendors;
    private long[] passengers;
    private long[] trips;
    private long[] gcMicros;
    private long[] durations;
    private int size;

    /** A fresh window. */
    public WindowAccumulator() {
        allocate(8);
    }

    /** Continues from these totals. */
    public static WindowAccumulator from(WindowTotals totals) {
        WindowAccumulator acc = new WindowAccumulator();
        totals.byVendor().forEach(acc::add);
        return acc;
    }

    /** Adds one trip to its vendor's sums. */
    public void fold(Trip trip) {
        int i = slot(trip.vendorId());
        passengers[i] = VendorTotals.add(passengers[i], Math.max(0, trip.passengerCount()));
        trips[i] = VendorTotals.add(trips[i], 1);
        gcMicros[i] = VendorTotals.add(gcMicros[i], VendorTotals.micros(trip.gcDistanceOr(0)));
        long duration = trip.tripDurationOr(0);
        if (duration > 0) {
            durations[i] = VendorTotals.add(durations[i], duration);
        }
    }

    /** How many vendors have sums. */
    public int vendorCount() {
        return size;
    }

    /** Whether this vendor has sums. */
    public boolean contains(int vendorId) {
        int mask = vendors.length - 1;
        for (int i = hash(vendorId) & mask; vendors[i] != EMPTY_SLOT; i = (i + 1) & mask) {
            if (vendors[i] == vendorId) {
                return true;
            }
        }
        return false;
    }

    /** An immutable copy of the sums so far. */
    public WindowTotals totals() {
        Map<Integer, VendorTotals> byVendor = new HashMap<>();
        for (int i = 0; i < vendors.length; i++) {
            if (vendors[i] != EMPTY_SLOT) {
                byVendor.put(vendors[i], new VendorTotals(passengers[i], trips[i], gcMicros[i], durations[i]));
            }
        }
        return new WindowTotals(byVendor);
    }

    private void add(int vendorId, VendorTotals t) {
        int i = slot(vendorId);
        passengers[i] = VendorTotals.add(passengers[i], t.passengers());
        trips[i] = VendorTotals.add(trips[i], t.trips());
        gcMicros[i] = VendorTotals.add(gcMicros[i], t.gcDistanceMicros());
        durations[i] = VendorTotals.add(durations[i], t.tripDurationSeconds());
    }

    /** The slot of a vendor, made when new. Linear probing; the table is kept at most half full. */
    private int slot(int vendorId) {
        int mask = vendors.length - 1;
        int i = hash(vendorId) & mask;
        while (true) {
            int v = vendors[i];
            if (v == vendorId) {
                return i;
            }
            if (v == EMPTY_SLOT) {
                return insert(vendorId);
            }
            i = (i + 1) & mask;
        }
    }

    private int insert(int vendorId) {
        if (vendorId < 1) {
            throw new IllegalArgumentException("vendorId " + vendorId + " is not a clean trip's vendor (at least 1)");
        }
        if (2 * (size + 1) > vendors.length) {
            grow();
        }
        int mask = vendors.length - 1;
        int i = hash(vendorId) & mask;
        while (vendors[i] != EMPTY_SLOT) {
            i = (i + 1) & mask;
        }
        vendors[i] = vendorId;
        size++;
        return i;
    }

    private void grow() {
        int[] oldVendors = vendors;
        long[] oldPassengers = passengers;
        long[] oldTrips = trips;
        long[] oldGc = gcMicros;
        long[] oldDurations = durations;
        allocate(oldVendors.length * 2);
        for (int j = 0; j < oldVendors.length; j++) {
            if (oldVendors[j] != EMPTY_SLOT) {
                int mask = vendors.length - 1;
                int i = hash(oldVendors[j]) & mask;
                while (vendors[i] != EMPTY_SLOT) {
                    i = (i + 1) & mask;
                }
                vendors[i] = oldVendors[j];
                passengers[i] = oldPassengers[j];
                trips[i] = oldTrips[j];
                gcMicros[i] = oldGc[j];
                durations[i] = oldDurations[j];
            }
        }
    }

    private void allocate(int capacity) {
        vendors = new int[capacity];
        passengers = new long[capacity];
        trips = new long[capacity];
        gcMicros = new long[capacity];
        durations = new long[capacity];
    }

    private static int hash(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
