package dev.kinesisaggs.core.window;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-vendor totals of (a part of) a window: an immutable value, ordered by vendor id.
 *
 * <p>Vendors with nothing folded are not kept, so two totals are equal exactly when every vendor's sums are.
 * {@link #merge} is associative and commutative with {@link #EMPTY} as neutral element: the parts of a
 * window (one per shard, and more after an early termination) may be merged in any order.
 *
 * @param byVendor vendor id to its totals; an unmodifiable sorted copy
 */
public record WindowTotals(Map<Integer, VendorTotals> byVendor) {

    public static final WindowTotals EMPTY = new WindowTotals(Map.of());

    public WindowTotals {
        TreeMap<Integer, VendorTotals> copy = new TreeMap<>();
        byVendor.forEach((vendor, totals) -> {
            if (vendor == null || vendor < 1) {
                throw new IllegalArgumentException("a vendor id is at least 1, got " + vendor);
            }
            if (!totals.equals(VendorTotals.ZERO)) {
                copy.put(vendor, totals);
            }
        });
        byVendor = Collections.unmodifiableSortedMap(copy);
    }

    /** One vendor's totals, {@link VendorTotals#ZERO} when it has none. */
    public VendorTotals vendor(int vendorId) {
        return byVendor.getOrDefault(vendorId, VendorTotals.ZERO);
    }

    public boolean isEmpty() {
        return byVendor.isEmpty();
    }

    /** The sum of both, vendor by vendor. */
    public WindowTotals merge(WindowTotals other) {
        TreeMap<Integer, VendorTotals> sum = new TreeMap<>(byVendor);
        other.byVendor.forEach((vendor, totals) -> sum.merge(vendor, totals, VendorTotals::plus));
        return new WindowTotals(sum);
    }
}
