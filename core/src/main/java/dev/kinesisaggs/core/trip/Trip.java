package dev.kinesisaggs.core.trip;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One clean taxi trip, as the workshop producer writes it: a value, equal to another trip of the same fields.
 *
 * <p>Required fields are primitives or non-null; optional fields are {@code null} when absent.
 * Dates are the local date-times written by the producer (New York time in the data set);
 * a date written with a zone or offset is converted to UTC.
 *
 * <p>Why not a record: the optional numbers are kept unboxed, with a bit each saying whether they are there. A
 * record of {@code Double} and {@code Long} components made the parser box eight numbers a trip (eight objects,
 * 128 bytes), on every trip of every batch. Measured (benchmarks/FIGURES.md, 2026-12-05): about 5 % less CPU a trip
 * parsed under C1, as Lambda's java21 runtime compiles; under C2, within the spread from JVM to JVM. The accessors
 * box on demand, for callers that want {@code null} for absent (the trips table's item, {@code TripItems}, does so
 * once per stored trip); the rules and the fold read the primitives. Equality, hash and text are a record's.
 *
 * @see #Trip(String, int, LocalDateTime, LocalDateTime, int, Double, Double, Double, Double, String, Double, Long,
 *      Long, Long) the fields
 */
public final class Trip implements TripResult {

    /** The fields' JSON names, in the order the workshop producers write them (the CSV's columns have the same order). */
    public static final java.util.List<String> FIELD_NAMES = java.util.List.of("id", "vendorId", "pickupDate", "dropoffDate",
            "passengerCount", "pickupLongitude", "pickupLatitude", "dropoffLongitude", "dropoffLatitude",
            "storeAndFwdFlag", "gcDistance", "tripDuration", "googleDistance", "googleDuration");

    // Bits of `present`: the optional numbers' positions in the producer's field order, which TripScanner reads by.
    static final int PICKUP_LONGITUDE = 5;
    static final int PICKUP_LATITUDE = 6;
    static final int DROPOFF_LONGITUDE = 7;
    static final int DROPOFF_LATITUDE = 8;
    static final int GC_DISTANCE = 10;
    static final int TRIP_DURATION = 11;
    static final int GOOGLE_DISTANCE = 12;
    static final int GOOGLE_DURATION = 13;
    private static final int NUMBERS = 1 << PICKUP_LONGITUDE | 1 << PICKUP_LATITUDE | 1 << DROPOFF_LONGITUDE
            | 1 << DROPOFF_LATITUDE | 1 << GC_DISTANCE | 1 << TRIP_DURATION | 1 << GOOGLE_DISTANCE
            | 1 << GOOGLE_DURATION;

    private final String id;
    private final int vendorId;
    private final LocalDateTime pickupDate;
    private final LocalDateTime dropoffDate;
    private final int passengerCount;
    private final String storeAndFwdFlag;
    /** Which optional numbers are there (bits above); an absent one is 0 in its field. */
    final int present;
    final double pickupLongitudeOrZero;
    final double pickupLatitudeOrZero;
    final double dropoffLongitudeOrZero;
    final double dropoffLatitudeOrZero;
    final double gcDistanceOrZero;
    final long tripDurationOrZero;
    final long googleDistanceOrZero;
    final long googleDurationOrZero;

    /**
     * @param id               trip id, non-empty; also the stream's partition key and the trips table key
     * @param vendorId         taxi vendor, at least 1
     * @param pickupDate       when the trip started
     * @param dropoffDate      when it ended, not before pickup; {@code null} when absent
     * @param passengerCount   0..9
     * @param gcDistance       great-circle distance (miles, as in the data set); {@code null} when absent
     * @param tripDuration     seconds; {@code null} when absent
     * @param googleDistance   metres by road; {@code null} when absent
     * @param googleDuration   seconds by road; {@code null} when absent
     */
    public Trip(String id, int vendorId, LocalDateTime pickupDate, LocalDateTime dropoffDate, int passengerCount,
            Double pickupLongitude, Double pickupLatitude, Double dropoffLongitude, Double dropoffLatitude,
            String storeAndFwdFlag, Double gcDistance, Long tripDuration, Long googleDistance, Long googleDuration) {
        this(id, vendorId, pickupDate, dropoffDate, passengerCount, orZero(pickupLongitude), orZero(pickupLatitude),
                orZero(dropoffLongitude), orZero(dropoffLatitude), storeAndFwdFlag, orZero(gcDistance),
                orZero(tripDuration), orZero(googleDistance), orZero(googleDuration),
                bit(pickupLongitude, PICKUP_LONGITUDE) | bit(pickupLatitude, PICKUP_LATITUDE)
                        | bit(dropoffLongitude, DROPOFF_LONGITUDE) | bit(dropoffLatitude, DROPOFF_LATITUDE)
                        | bit(gcDistance, GC_DISTANCE) | bit(tripDuration, TRIP_DURATION)
                        | bit(googleDistance, GOOGLE_DISTANCE) | bit(googleDuration, GOOGLE_DURATION));
    }

    /** The parser's way: the numbers unboxed, {@code present} saying which are there (the others are taken as 0). */
    Trip(String id, int vendorId, LocalDateTime pickupDate, LocalDateTime dropoffDate, int passengerCount,
            double pickupLongitude, double pickupLatitude, double dropoffLongitude, double dropoffLatitude,
            String storeAndFwdFlag, double gcDistance, long tripDuration, long googleDistance, long googleDuration,
            int present) {
        this.present = present & NUMBERS; // and an absent number is 0 below, so that equality may compare the fields
        this.id = Objects.requireNonNull(id, "id");
        this.vendorId = vendorId;
        this.pickupDate = Objects.requireNonNull(pickupDate, "pickupDate");
        this.dropoffDate = dropoffDate;
        this.passengerCount = passengerCount;
        this.pickupLongitudeOrZero = has(PICKUP_LONGITUDE) ? pickupLongitude : 0;
        this.pickupLatitudeOrZero = has(PICKUP_LATITUDE) ? pickupLatitude : 0;
        this.dropoffLongitudeOrZero = has(DROPOFF_LONGITUDE) ? dropoffLongitude : 0;
        this.dropoffLatitudeOrZero = has(DROPOFF_LATITUDE) ? dropoffLatitude : 0;
        this.storeAndFwdFlag = storeAndFwdFlag;
        this.gcDistanceOrZero = has(GC_DISTANCE) ? gcDistance : 0;
        this.tripDurationOrZero = has(TRIP_DURATION) ? tripDuration : 0;
        this.googleDistanceOrZero = has(GOOGLE_DISTANCE) ? googleDistance : 0;
        this.googleDurationOrZero = has(GOOGLE_DURATION) ? googleDuration : 0;
    }

    public String id() {
        return id;
    }

    public int vendorId() {
        return vendorId;
    }

    public LocalDateTime pickupDate() {
        return pickupDate;
    }

    public LocalDateTime dropoffDate() {
        return dropoffDate;
    }

    public int passengerCount() {
        return passengerCount;
    }

    public Double pickupLongitude() {
        return decimal(PICKUP_LONGITUDE, pickupLongitudeOrZero);
    }

    public Double pickupLatitude() {
        return decimal(PICKUP_LATITUDE, pickupLatitudeOrZero);
    }

    public Double dropoffLongitude() {
        return decimal(DROPOFF_LONGITUDE, dropoffLongitudeOrZero);
    }

    public Double dropoffLatitude() {
        return decimal(DROPOFF_LATITUDE, dropoffLatitudeOrZero);
    }

    public String storeAndFwdFlag() {
        return storeAndFwdFlag;
    }

    public Double gcDistance() {
        return decimal(GC_DISTANCE, gcDistanceOrZero);
    }

    public Long tripDuration() {
        return integer(TRIP_DURATION, tripDurationOrZero);
    }

    public Long googleDistance() {
        return integer(GOOGLE_DISTANCE, googleDistanceOrZero);
    }

    public Long googleDuration() {
        return integer(GOOGLE_DURATION, googleDurationOrZero);
    }

    /** The great-circle distance, or {@code whenAbsent}; unboxed, for the fold. */
    public double gcDistanceOr(double whenAbsent) {
        return has(GC_DISTANCE) ? gcDistanceOrZero : whenAbsent;
    }

    /** The trip's seconds, or {@code whenAbsent}; unboxed, for the fold. */
    public long tripDurationOr(long whenAbsent) {
        return has(TRIP_DURATION) ? tripDurationOrZero : whenAbsent;
    }

    boolean has(int bit) {
        return (present & 1 << bit) != 0;
    }

    private Double decimal(int bit, double value) {
        return has(bit) ? value : null;
    }

    private Long integer(int bit, long value) {
        return has(bit) ? value : null;
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static int bit(Number value, int bit) {
        return value == null ? 0 : 1 << bit;
    }

    /** As a record's: the same fields, doubles compared as {@link Double#equals} does (so -0.0 is not 0.0). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Trip t
                && vendorId == t.vendorId
                && passengerCount == t.passengerCount
                && present == t.present
                && sameDouble(pickupLongitudeOrZero, t.pickupLongitudeOrZero)
                && sameDouble(pickupLatitudeOrZero, t.pickupLatitudeOrZero)
                && sameDouble(dropoffLongitudeOrZero, t.dropoffLongitudeOrZero)
                && sameDouble(dropoffLatitudeOrZero, t.dropoffLatitudeOrZero)
                && sameDouble(gcDistanceOrZero, t.gcDistanceOrZero)
                && tripDurationOrZero == t.tripDurationOrZero
                && googleDistanceOrZero == t.googleDistanceOrZero
                && googleDurationOrZero == t.googleDurationOrZero
                && id.equals(t.id)
                && pickupDate.equals(t.pickupDate)
                && Objects.equals(dropoffDate, t.dropoffDate)
                && Objects.equals(storeAndFwdFlag, t.storeAndFwdFlag);
    }

    private static boolean sameDouble(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    /**
     * As a record's: 31 times the hash so far plus each field's, in order, from 0; an absent number's 0 hashes as
     * {@code null} does (0), so nothing is boxed.
     */
    @Override
    public int hashCode() {
        int h = id.hashCode();
        h = 31 * h + Integer.hashCode(vendorId);
        h = 31 * h + pickupDate.hashCode();
        h = 31 * h + Objects.hashCode(dropoffDate);
        h = 31 * h + Integer.hashCode(passengerCount);
        h = 31 * h + Double.hashCode(pickupLongitudeOrZero);
        h = 31 * h + Double.hashCode(pickupLatitudeOrZero);
        h = 31 * h + Double.hashCode(dropoffLongitudeOrZero);
        h = 31 * h + Double.hashCode(dropoffLatitudeOrZero);
        h = 31 * h + Objects.hashCode(storeAndFwdFlag);
        h = 31 * h + Double.hashCode(gcDistanceOrZero);
        h = 31 * h + Long.hashCode(tripDurationOrZero);
        h = 31 * h + Long.hashCode(googleDistanceOrZero);
        return 31 * h + Long.hashCode(googleDurationOrZero);
    }

    /** As a record's. */
    @Override
    public String toString() {
        return "Trip[id=" + id + ", vendorId=" + vendorId + ", pickupDate=" + pickupDate
                + ", dropoffDate=" + dropoffDate + ", passengerCount=" + passengerCount
                + ", pickupLongitude=" + pickupLongitude() + ", pickupLatitude=" + pickupLatitude()
                + ", dropoffLongitude=" + dropoffLongitude() + ", dropoffLatitude=" + dropoffLatitude()
                + ", storeAndFwdFlag=" + storeAndFwdFlag + ", gcDistance=" + gcDistance()
                + ", tripDuration=" + tripDuration() + ", googleDistance=" + googleDistance()
                + ", googleDuration=" + googleDuration() + "]";
    }
}
