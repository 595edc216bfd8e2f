package dev.kinesisaggs.core.window;

import dev.kinesisaggs.core.trip.Trip;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The mutable fold of one invocation: start from the state Lambda passed in, fold the clean trips,
 * hand back the state to return.
 *
 * <pre>{@code
 * WindowAccumulator acc = WindowAccumulator.fromStateMap(event.getState());
 * for (each clean, stored trip of a record) acc.fold(event.getShardId(), record.getSequenceNumber(), trip);
 * response.setState(acc.toStateMap());
 * if (event.getIsFinalInvokeForWindow()) write(acc.partId(), acc.totals());
 * }</pre>
 *
 * <p>{@link #fold(Trip)} allocates nothing once the trip's vendor is known: sums live in primitive
 * arrays behind a small open-addressing table keyed by vendor id. Not thread-safe: one per invocation.
 * It expects clean trips (see {@code TripRules}); negative optional values, which clean trips never
 * hold, count as 0.
 */
public final class WindowAccumulator {

    private static final int EMPTY_SLOT = 0; // vendor ids are at least 1

    private WindowPartId part;
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

    /** Continues a window from its state. */
    public static WindowAccumulator from(WindowState state) {
        WindowAccumulator acc = new WindowAccumulator();
        acc.part = state.part();
        state.totals().byVendor().forEach(acc::add);
        return acc;
    }

    /**
     * Continues a window from the map Lambda passed; an empty or null map is a fresh window.
     *
     * @throws IllegalArgumentException when the map is not a state this code wrote
     */
    public static WindowAccumulator fromStateMap(Map<String, String> state) {
        return from(WindowState.fromMap(state));
    }

    /** Adds one trip to its vendor's sums. */
    public void fold(Trip trip) {
        int i = slot(trip.vendorId());
        passengers[i] = VendorTotals.add(passengers[i], Math.max(0, trip.passengerCount()));
        trips[i] = VendorTotals.add(trips[i], 1);
        Double gc = trip.gcDistance();
        if (gc != null) {
            gcMicros[i] = VendorTotals.add(gcMicros[i], VendorTotals.micros(gc));
        }
        Long duration = trip.tripDuration();
        if (duration != null && duration > 0) {
            durations[i] = VendorTotals.add(durations[i], duration);
        }
    }

    /**
     * Folds a trip of the Kinesis record with this sequence number; the first such call of a part names the part.
     */
    public void fold(String shardId, String sequenceNumber, Trip trip) {
        startPartIfAbsent(shardId, sequenceNumber);
        fold(trip);
    }

    /**
     * Names this part of the window after its first record, unless it is named already.
     *
     * @return true when this call named the part
     */
    public boolean startPartIfAbsent(String shardId, String sequenceNumber) {
        if (part != null) {
            return false;
        }
        part = WindowPartId.of(shardId, sequenceNumber);
        return true;
    }

    /** This part's id; empty until a record is folded with {@link #fold(String, String, Trip)}. */
    public Optional<WindowPartId> partId() {
        return Optional.ofNullable(part);
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

    public WindowState state() {
        return new WindowState(part, totals());
    }

    /** The state to return to Lambda. */
    public Map<String, String> toStateMap() {
        return state().toMap();
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
