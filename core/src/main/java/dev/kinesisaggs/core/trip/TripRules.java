package dev.kinesisaggs.core.trip;

/**
 * The value rules of a clean trip, shared by every format that produces trips (JSON, CSV).
 *
 * <p>Type rules (is it a number, a date...) belong to each format's reader; these are the rules on the
 * values once typed. A rule broken gives a {@link Rejection} whose detail is one sentence naming the
 * field and the value.
 */
public final class TripRules {

    /** Kinesis partition keys are at most 256 characters, and the trip id is the partition key. */
    public static final int MAX_ID_LENGTH = 256;
    public static final int MIN_VENDOR_ID = 1;
    public static final int MIN_PASSENGERS = 0;
    public static final int MAX_PASSENGERS = 9;
    public static final double MAX_ABS_LONGITUDE = 180.0;
    public static final double MAX_ABS_LATITUDE = 90.0;
    /** The accepted values of {@code storeAndFwdFlag}. */
    public static final String FLAG_YES = "Y";
    public static final String FLAG_NO = "N";

    private TripRules() {
    }

    /**
     * Checks every value rule, in the order of the record's fields.
     *
     * @return the trip itself when it is clean, else the first rule it breaks
     */
    public static TripResult validate(Trip t) {
        Rejection r = idProblem(t.id());
        if (r == null) {
            r = vendorIdProblem(t.vendorId());
        }
        if (r == null) {
            r = dropoffProblem(t);
        }
        if (r == null) {
            r = passengerCountProblem(t.passengerCount());
        }
        if (r == null) {
            r = coordinateProblem("pickupLongitude", t.pickupLongitude(), MAX_ABS_LONGITUDE);
        }
        if (r == null) {
            r = coordinateProblem("pickupLatitude", t.pickupLatitude(), MAX_ABS_LATITUDE);
        }
        if (r == null) {
            r = coordinateProblem("dropoffLongitude", t.dropoffLongitude(), MAX_ABS_LONGITUDE);
        }
        if (r == null) {
            r = coordinateProblem("dropoffLatitude", t.dropoffLatitude(), MAX_ABS_LATITUDE);
        }
        if (r == null) {
            r = flagProblem(t.storeAndFwdFlag());
        }
        if (r == null) {
            r = nonNegativeProblem("gcDistance", t.gcDistance());
        }
        if (r == null) {
            r = nonNegativeProblem("tripDuration", t.tripDuration());
        }
        if (r == null) {
            r = nonNegativeProblem("googleDistance", t.googleDistance());
        }
        if (r == null) {
            r = nonNegativeProblem("googleDuration", t.googleDuration());
        }
        return r == null ? t : r;
    }

    static Rejection idProblem(String id) {
        if (id.isEmpty()) {
            return new Rejection(RejectReason.MISSING_FIELD, "id", "id is empty");
        }
        if (id.length() > MAX_ID_LENGTH && id.codePointCount(0, id.length()) > MAX_ID_LENGTH) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "id",
                    "id is " + id.codePointCount(0, id.length()) + " characters long, more than the "
                            + MAX_ID_LENGTH + " a Kinesis partition key allows");
        }
        return null;
    }

    /** Takes a long so that a reader can check a value before narrowing it to an int. */
    public static Rejection vendorIdProblem(long vendorId) {
        if (vendorId < MIN_VENDOR_ID || vendorId > Integer.MAX_VALUE) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "vendorId",
                    "vendorId " + vendorId + " is outside " + MIN_VENDOR_ID + ".." + Integer.MAX_VALUE);
        }
        return null;
    }

    /** Takes a long so that a reader can check a value before narrowing it to an int. */
    public static Rejection passengerCountProblem(long passengerCount) {
        if (passengerCount < MIN_PASSENGERS || passengerCount > MAX_PASSENGERS) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "passengerCount",
                    "passengerCount " + passengerCount + " is outside " + MIN_PASSENGERS + ".." + MAX_PASSENGERS);
        }
        return null;
    }

    private static Rejection dropoffProblem(Trip t) {
        if (t.dropoffDate() != null && t.dropoffDate().isBefore(t.pickupDate())) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "dropoffDate",
                    "dropoffDate " + t.dropoffDate() + " is before pickupDate " + t.pickupDate());
        }
        return null;
    }

    private static Rejection coordinateProblem(String field, Double value, double maxAbs) {
        if (value != null && !(Math.abs(value) <= maxAbs)) { // also catches NaN
            return new Rejection(RejectReason.OUT_OF_RANGE, field,
                    field + " " + value + " is outside " + (int) -maxAbs + ".." + (int) maxAbs);
        }
        return null;
    }

    private static Rejection flagProblem(String flag) {
        if (flag != null && !flag.equals(FLAG_YES) && !flag.equals(FLAG_NO)) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "storeAndFwdFlag",
                    "storeAndFwdFlag \"" + abbreviate(flag) + "\" is neither Y nor N");
        }
        return null;
    }

    private static Rejection nonNegativeProblem(String field, Double value) {
        if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) { // also catches NaN
            return new Rejection(RejectReason.OUT_OF_RANGE, field,
                    field + " " + value + " is not a finite number at least 0");
        }
        return null;
    }

    private static Rejection nonNegativeProblem(String field, Long value) {
        if (value != null && value < 0) {
            return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + value + " is negative");
        }
        return null;
    }

    /** Keeps details one short sentence even when a producer sends a megabyte of text. */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
