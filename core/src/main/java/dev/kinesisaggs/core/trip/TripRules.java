package dev.kinesisaggs.core.trip;

import java.time.LocalDate;
import java.time.LocalDateTime;

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
    /**
     * The longest great-circle distance on Earth (half its circumference, 12,451 miles), rounded up: a trip's
     * {@code gcDistance} is in miles, and anything longer is not a distance between two points of this planet.
     */
    public static final double MAX_GC_DISTANCE_MILES = 12_500;
    /** Around the Earth by road, in metres: a bound on {@code googleDistance}. */
    public static final long MAX_ROAD_DISTANCE_METRES = 40_075_000L;
    /**
     * The longest trip accepted, in seconds: 31 days. The workshop's data set has trips of up to 25.8 days (meters
     * left running); longer ones are not trips.
     */
    public static final long MAX_DURATION_SECONDS = 31L * 24 * 3600;
    private static final long SECONDS_PER_DAY = 24 * 3600;
    /**
     * The last year of a trip's date-times: four digits, as the producer's form and the workshop's CSV write them (a
     * year like +999999999 is no trip's, and moving it, as {@code produce --shift-to-now} does, would leave what a
     * date-time can hold). The first is 0000.
     */
    public static final int MAX_YEAR = 9999;
    /**
     * DynamoDB's numbers: a non-zero magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125 (with 38
     * significant digits; a double has at most 17). A value outside that is refused by the table; it is refused here
     * first, with a reason, so that it is quarantined instead of failing the batch that carries it.
     */
    public static final double DYNAMODB_MIN_MAGNITUDE = 1e-130;

    /** Whether a date-time's year is one a trip may have (0000 to {@link #MAX_YEAR}). */
    public static boolean hasTripYear(LocalDateTime t) {
        return t.getYear() >= 0 && t.getYear() <= MAX_YEAR;
    }
    /**
     * The first magnitude DynamoDB refuses, 1E+126. As a double, DynamoDB's largest (9.99...E+125, 38 nines) rounds to this
     * very value, which DynamoDB refuses; every double below it is below DynamoDB's largest.
     */
    public static final double DYNAMODB_TOO_LARGE = 1e126;
    /** Number texts longer than this are refused unread (Jackson's own limit on a number's length). */
    static final int MAX_NUMBER_TEXT = 1_000;

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
            r = coordinateProblem("pickupLongitude", t.has(Trip.PICKUP_LONGITUDE), t.pickupLongitudeOrZero,
                    MAX_ABS_LONGITUDE);
        }
        if (r == null) {
            r = coordinateProblem("pickupLatitude", t.has(Trip.PICKUP_LATITUDE), t.pickupLatitudeOrZero,
                    MAX_ABS_LATITUDE);
        }
        if (r == null) {
            r = coordinateProblem("dropoffLongitude", t.has(Trip.DROPOFF_LONGITUDE), t.dropoffLongitudeOrZero,
                    MAX_ABS_LONGITUDE);
        }
        if (r == null) {
            r = coordinateProblem("dropoffLatitude", t.has(Trip.DROPOFF_LATITUDE), t.dropoffLatitudeOrZero,
                    MAX_ABS_LATITUDE);
        }
        if (r == null) {
            r = flagProblem(t.storeAndFwdFlag());
        }
        if (r == null) {
            r = boundedProblem("gcDistance", t.has(Trip.GC_DISTANCE), t.gcDistanceOrZero,
                    MAX_GC_DISTANCE_MILES, "miles", "any distance on Earth");
        }
        if (r == null) {
            r = boundedProblem("tripDuration", t.has(Trip.TRIP_DURATION), t.tripDurationOrZero,
                    MAX_DURATION_SECONDS, "seconds", "31 days");
        }
        if (r == null) {
            r = boundedProblem("googleDistance", t.has(Trip.GOOGLE_DISTANCE), t.googleDistanceOrZero,
                    MAX_ROAD_DISTANCE_METRES, "metres", "around the Earth");
        }
        if (r == null) {
            r = boundedProblem("googleDuration", t.has(Trip.GOOGLE_DURATION), t.googleDurationOrZero,
                    MAX_DURATION_SECONDS, "seconds", "31 days");
        }
        return r == null ? t : r;
    }

    /** Whether {@code id} has more characters (code points) than a Kinesis partition key, which the trip id is. */
    public static boolean isTooLongAnId(String id) {
        return id.length() > MAX_ID_LENGTH && id.codePointCount(0, id.length()) > MAX_ID_LENGTH;
    }

    static Rejection idProblem(String id) {
        if (id.isEmpty()) {
            return new Rejection(RejectReason.MISSING_FIELD, "id", "id is empty");
        }
        if (isTooLongAnId(id)) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "id",
                    "id is " + id.codePointCount(0, id.length()) + " characters long, more than the "
                            + MAX_ID_LENGTH + " a Kinesis partition key allows");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < id.length() && Character.isLowSurrogate(id.charAt(++i))
                    : !Character.isLowSurrogate(c);
            if (!paired) {
                // JSON lets an escaped lone surrogate through; UTF-8 cannot carry it, so DynamoDB would store another id ("?") and
                // two different trips could claim the same item
                return new Rejection(RejectReason.OUT_OF_RANGE, "id", "id has a lone UTF-16 surrogate, which is not text");
            }
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
                    "dropoffDate " + TripDates.format(t.dropoffDate()) + " is before pickupDate " + TripDates.format(t.pickupDate()));
        }
        // the same bound as tripDuration's: a trip that its own dates say lasted longer is not a trip either
        if (t.dropoffDate() != null && !endsWithin31Days(t.pickupDate(), t.dropoffDate())
                && t.pickupDate().plusSeconds(MAX_DURATION_SECONDS).isBefore(t.dropoffDate())) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "dropoffDate",
                    "dropoffDate " + TripDates.format(t.dropoffDate()) + " is more than 31 days after pickupDate "
                            + TripDates.format(t.pickupDate()));
        }
        return null;
    }

    /**
     * Whether a drop-off that is not before its pick-up falls on one of the 31 days from the pick-up's day on (so
     * within 31 days of it): every trip but a handful, told without the date arithmetic and the new date-time of the
     * exact test, which the others still take.
     */
    private static boolean endsWithin31Days(LocalDateTime pickup, LocalDateTime dropoff) {
        LocalDate from = pickup.toLocalDate();
        LocalDate to = dropoff.toLocalDate();
        // the same object when the scanner gave both dates-times the day it had just made (most trips): no arithmetic
        return to == from || to.toEpochDay() - from.toEpochDay() < MAX_DURATION_SECONDS / SECONDS_PER_DAY;
    }

    private static Rejection coordinateProblem(String field, boolean present, double value, double maxAbs) {
        if (!present) {
            return null;
        }
        if (!(Math.abs(value) <= maxAbs)) { // also catches NaN
            return new Rejection(RejectReason.OUT_OF_RANGE, field,
                    field + " " + value + " is outside " + (int) -maxAbs + ".." + (int) maxAbs);
        }
        return storableProblem(field, value);
    }

    /** A number DynamoDB can store: 0, or a magnitude within its range (finite values only reach here). */
    static Rejection storableProblem(String field, double value) {
        double magnitude = Math.abs(value);
        if (magnitude != 0 && magnitude < DYNAMODB_MIN_MAGNITUDE) {
            return tooSmall(field, String.valueOf(value));
        }
        if (magnitude >= DYNAMODB_TOO_LARGE) {
            return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + value
                    + " is too large for DynamoDB to store (at most 9.99E+125)");
        }
        return null;
    }

    /**
     * A number that reads as the double 0 although it is not 0 ({@code 1E-400}, below the smallest double): its value is
     * lost entirely, not rounded, and its magnitude is below DynamoDB's, so it is refused as {@link #storableProblem}
     * refuses {@code 1E-131}. A number is otherwise its nearest double, as any JSON reader takes it: digits beyond a
     * double's 17 (DynamoDB would keep 38) are rounded, and {@code 3.00000000000000001} is the whole number 3. Only a
     * text read as 0 is looked at again; null when it is fine.
     */
    public static Rejection zeroTextProblem(String field, String text, double read) {
        if (read != 0) {
            return null;
        }
        String shown = abbreviate(text);
        if (text.length() > MAX_NUMBER_TEXT) {
            return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + shown + " is a number of more than "
                    + MAX_NUMBER_TEXT + " characters");
        }
        // read as 0 and not 0 as written: too small (a large exponent would have read as infinite), whatever the
        // exponent's size; BigDecimal itself refuses one beyond an int, so the digits before it say whether it is 0
        return zeroDigits(text) ? null : tooSmall(field, shown);
    }

    /** Whether every digit of the number's text before its exponent is 0 (its value then is 0, whatever the exponent). */
    private static boolean zeroDigits(String number) {
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    private static Rejection tooSmall(String field, String value) {
        return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + value
                + " is too small for DynamoDB to store (a number other than 0 is at least 1E-130)");
    }

    private static Rejection flagProblem(String flag) {
        if (flag != null && !flag.equals(FLAG_YES) && !flag.equals(FLAG_NO)) {
            return new Rejection(RejectReason.OUT_OF_RANGE, "storeAndFwdFlag",
                    "storeAndFwdFlag \"" + abbreviate(flag) + "\" is neither Y nor N");
        }
        return null;
    }

    private static Rejection boundedProblem(String field, boolean present, double value, double max, String unit,
            String maxMeans) {
        if (!present) {
            return null;
        }
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) { // also catches NaN
            return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + value + " is not a finite number at least 0");
        }
        if (value > max) {
            return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + value + " " + unit + " is more than " + maxMeans);
        }
        return storableProblem(field, value);
    }

    private static Rejection boundedProblem(String field, boolean present, long value, long max, String unit,
            String maxMeans) {
        if (!present) {
            return null;
        }
        if (value < 0) {
            return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + value + " is negative");
        }
        if (value > max) {
            return new Rejection(RejectReason.OUT_OF_RANGE, field, field + " " + value + " " + unit + " is more than " + maxMeans);
        }
        return null;
    }

    /** Keeps details one short sentence even when a producer sends a megabyte of text. */
    static String abbreviate(String s) {
        return DetailText.cut(s, 40);
    }
}
