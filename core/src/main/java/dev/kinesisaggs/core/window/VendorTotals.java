package dev.kinesisaggs.core.window;

import dev.kinesisaggs.core.trip.Trip;

/**
 * One vendor's sums over (a part of) a window.
 *
 * <p>All sums are whole numbers so that adding them is exact, associative and commutative: the order
 * in which trips are folded and parts are merged can never change a total. The great-circle distance is
 * therefore kept in micro-miles: each trip's {@code gcDistance} is rounded to the nearest micro-mile
 * (about 1.6 mm) before it is added. Absent optional values count as 0.
 *
 * <p>Sums saturate at {@link Long#MAX_VALUE} instead of wrapping round to negative numbers; no real
 * window comes near (that is 9.2e12 miles), but a poisoned record must not turn a total negative.
 *
 * @param passengers          sum of {@code passengerCount}
 * @param trips               number of trips
 * @param gcDistanceMicros    sum of {@code gcDistance}, in millionths of a mile
 * @param tripDurationSeconds sum of {@code tripDuration}, in seconds
 */
public record VendorTotals(long passengers, long trips, long gcDistanceMicros, long tripDurationSeconds) {

    public static final VendorTotals ZERO = new VendorTotals(0, 0, 0, 0);

    private static final double MICROS_PER_MILE = 1_000_000.0;

    public VendorTotals {
        if (passengers < 0 || trips < 0 || gcDistanceMicros < 0 || tripDurationSeconds < 0) {
            throw new IllegalArgumentException("vendor totals cannot be negative: passengers=" + passengers
                    + " trips=" + trips + " gcDistanceMicros=" + gcDistanceMicros
                    + " tripDurationSeconds=" + tripDurationSeconds);
        }
    }

    /** The totals of a single trip. */
    public static VendorTotals of(Trip trip) {
        return new VendorTotals(Math.max(0, trip.passengerCount()), 1, micros(trip.gcDistanceOr(0)),
                Math.max(0, trip.tripDurationOr(0)));
    }

    /** Both sums together; associative and commutative, {@link #ZERO} is neutral. */
    public VendorTotals plus(VendorTotals o) {
        return new VendorTotals(add(passengers, o.passengers), add(trips, o.trips),
                add(gcDistanceMicros, o.gcDistanceMicros), add(tripDurationSeconds, o.tripDurationSeconds));
    }

    /** The distance sum in miles (a double, for display and storage). */
    public double gcDistanceMiles() {
        return gcDistanceMicros / MICROS_PER_MILE;
    }

    /**
     * A distance in micro-miles, rounded to nearest; a negative or NaN distance counts as 0
     * (clean trips have none of the last two).
     */
    static long micros(double miles) {
        if (!(miles > 0)) {
            return 0;
        }
        return Math.round(miles * MICROS_PER_MILE); // saturates at Long.MAX_VALUE for absurd values
    }

    /** Saturating sum of two non-negative longs. */
    static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
