package dev.kinesisaggs.function.storage;

import java.math.BigDecimal;

/**
 * One vendor's sums over one part of a window.
 *
 * @param vendorId   the taxi vendor
 * @param passengers sum of passenger counts (the lab's {@code passenger})
 * @param trips      number of trips
 * @param distance   sum of great-circle distances of the trips that have one
 * @param duration   sum of trip durations in seconds of the trips that have one
 */
public record VendorSums(int vendorId, long passengers, long trips, BigDecimal distance, long duration) {
    public VendorSums {
        distance = distance == null ? BigDecimal.ZERO : distance;
    }
}
