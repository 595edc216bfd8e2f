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
 * 128 bytes; a quarter of the parse's profile samples), on every trip of every batch. The accessors box on demand,
 * for callers that want {@code null} for absent; the hot callers (the rules, the fold) read the primitives.
 * Equality, hash and text are a record's.
 *
 * @see #Trip(String, int, LocalDateTime, LocalDateTime, int, Double, Double, Double, Double, String, Double, Long,
 *      Long, Long) the fields
 */
public final class Trip implements TripResult {

    // Bits of `present`: the optional numbers' positions in the producer's field order, which TripScanner reads by.
    static final int PICKUP_LONGITUDE = 5;
    static final int PICKUP_LATITUDE = 6;
    static final int DROPOFF_LONGITUDE = 7;
    static final int DROPOFF_LATITUDE = 8;
    static final int GC_DISTANCE = 10;
    static final int TRIP_DURATION = 11;
    static final int GOOGLE_DISTANCE = 12;
    static final int GOOGLE_DURATION = 13;

    private final String id;
    private final int vendorId;
    private final LocalDateTime pickupDate;
    private final LocalDateTime dropoffDate;
    private final int passengerCount;
    private final String storeAndFwdFlag;
    /** Which optional numbers are there; an absent one is 0 below, so that equality may compare the fields. */
    final int present;
    final double pickupLongitude;
    final double pickupLatitude;
    final double dropoffLongitude;
    final double dropoffLatitude;
    final double gcDistance;
    final long tripDuration;
    final long googleDistance;
    final long googleDuration;

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

    /** The parser's way: the numbers unboxed, {@code present} saying which are there (absent ones must be 0). */
    Trip(String id, int vendorId, LocalDateTime pickupDate, LocalDateTime dropoffDate, int passengerCount,
            double pickupLongitude, double pickupLatitude, double dropoffLongitude, double dropoffLatitude,
            String storeAndFwdFlag, double gcDistance, long tripDuration, long googleDistance, long googleDuration,
            int present) {
        this.id = Objects.requireNonNull(id, "id");
        this.vendorId = vendorId;
        this.pickupDate = Objects.requireNonNull(pickupDate, "pickupDate");
        this.dropoffDate = dropoffDate;
        this.passengerCount = passengerCount;
        this.pickupLongitude = pickupLongitude;
        this.pickupLatitude = pickupLatitude;
        this.dropoffLongitude = dropoffLongitude;
        this.dropoffLatitude = dropoffLatitude;
        this.storeAndFwdFlag = storeAndFwdFlag;
        this.gcDistance = gcDistance;
        this.tripDuration = tripDuration;
        this.googleDistance = googleDistance;
        this.googleDuration = googleDuration;
        this.present = present;
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
        return decimal(PICKUP_LONGITUDE, pickupLongitude);
    }

    public Double pickupLatitude() {
        return decimal(PICKUP_LATITUDE, pickupLatitude);
    }

    public Double dropoffLongitude() {
        return decimal(DROPOFF_LONGITUDE, dropoffLongitude);
    }

    public Double dropoffLatitude() {
        return decimal(DROPOFF_LATITUDE, dropoffLatitude);
    }

    public String storeAndFwdFlag() {
        return storeAndFwdFlag;
    }

    public Double gcDistance() {
        return decimal(GC_DISTANCE, gcDistance);
    }

    public Long tripDuration() {
        return integer(TRIP_DURATION, tripDuration);
    }

    public Long googleDistance() {
        return integer(GOOGLE_DISTANCE, googleDistance);
    }

    public Long googleDuration() {
        return integer(GOOGLE_DURATION, googleDuration);
    }

    /** The great-circle distance, or {@code whenAbsent}; unboxed, for the fold. */
    public double gcDistanceOr(double whenAbsent) {
        return has(GC_DISTANCE) ? gcDistance : whenAbsent;
    }

    /** The trip's seconds, or {@code whenAbsent}; unboxed, for the fold. */
    public long tripDurationOr(long whenAbsent) {
        return has(TRIP_DURATION) ? tripDuration : whenAbsent;
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
                && sameDouble(pickupLongitude, t.pickupLongitude)
                && sameDouble(pickupLatitude, t.pickupLatitude)
                && sameDouble(dropoffLongitude, t.dropoffLongitude)
                && sameDouble(dropoffLatitude, t.dropoffLatitude)
                && sameDouble(gcDistance, t.gcDistance)
                && tripDuration == t.tripDuration
                && googleDistance == t.googleDistance
                && googleDuration == t.googleDuration
                && id.equals(t.id)
                && pickupDate.equals(t.pickupDate)
                && Objects.equals(dropoffDate, t.dropoffDate)
                && Objects.equals(storeAndFwdFlag, t.storeAndFwdFlag);
    }

    private static boolean sameDouble(double a, double b) {
        return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, vendorId, pickupDate, dropoffDate, passengerCount, pickupLongitude(), pickupLatitude(),
                dropoffLongitude(), dropoffLatitude(), storeAndFwdFlag, gcDistance(), tripDuration(), googleDistance(),
                googleDuration());
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
