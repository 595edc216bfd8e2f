package dev.kinesisaggs.core.trip;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Parses and validates one trip record (the workshop producer's JSON) into a {@link TripResult}.
 *
 * <p>Built once, then shared: it holds no per-record state, so one instance serves any number of
 * threads. {@link #parse(byte[], int, int)} never throws for any content of the record; a record that
 * is not clean comes back as a {@link Rejection} naming the reason, the field and the value.
 *
 * <p>What it accepts, beyond plain JSON numbers and strings:
 * <ul>
 *   <li>a number written as a string ({@code "vendorId":"2"}), as one workshop producer does for every value;</li>
 *   <li>an integer written as an integral decimal ({@code 2.0}, {@code 1e2}); {@code 2.5} for an integer field
 *       is {@link RejectReason#WRONG_TYPE};</li>
 *   <li>{@code null} or an empty string for an optional field: the field is absent. For a required field
 *       either is {@link RejectReason#MISSING_FIELD};</li>
 *   <li>dates as ISO-8601 local date-times, with or without seconds, fraction, offset or zone
 *       (a zoned date is converted to UTC, see {@link Trip});</li>
 *   <li>unknown fields of any JSON type, skipped.</li>
 * </ul>
 * When a record breaks several rules, the reported one is: an oversized record, then bad UTF-8, then bad
 * JSON syntax anywhere in the record, then the first field problem in the order the fields appear,
 * then a missing required field, then the value rules of {@link TripRules}. A trip's field given twice is refused
 * ({@link RejectReason#MALFORMED_JSON}: which value is meant is ambiguous). JSON beyond Jackson's read limits (nesting deeper than 1000, a number longer than
 * 1000 digits, a field name longer than 50,000 bytes) is {@link RejectReason#MALFORMED_JSON}.
 *
 * <p>Speed: records as producers write them (flat, ASCII, no escapes, plain numbers and dates) are read in
 * one pass over the bytes by {@link TripScanner}, which builds the trip without any other allocation (the names with
 * their punctuation, the digits of a number and a date compared and read eight bytes at a time). Every
 * other record, and every record the scanner is not certain about, goes through Jackson's streaming parser
 * (a single shared {@link JsonFactory}, no tree, no data binding, numbers and the common date form read from
 * the parser's char buffer, UTF-8 checked eight bytes at a time): the answer is the same either way.
 */
public final class TripParser {

    /** Kinesis's own limit for one record's data. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    /** Thread-safe and expensive to build: one for the whole JVM. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** In Jackson's messages, where a limit comes from and how to lift it: for Jackson's users, not for a producer. */
    private static final Pattern CONSTRAINT_SOURCE = Pattern.compile("\\(([0-9]+), from `[^`]*`\\)");
    private static final Pattern READ_FEATURE_ADVICE = Pattern.compile(": enable `JsonReadFeature\\.[A-Z_]+` to allow");

    /** The fields in the order the workshop producers write them. */
    private static final SerializedString[] FIELD_ORDER = Trip.FIELD_NAMES.stream()
            .map(SerializedString::new).toArray(SerializedString[]::new);

    /**
     * The fast path's reusable state, one per thread: {@link TripScanner} keeps the record being read in fields
     * so that reading allocates only the trip's values.
     */
    private static final ThreadLocal<TripScanner> SCANNERS = ThreadLocal.withInitial(TripScanner::new);

    /** Marks a rejection that comes from a parser bug, so tests can tell it from a bad record. */
    static final String UNEXPECTED = "the parser failed unexpectedly";

    private final int maxRecordBytes;

    /** A parser with the default maximum record size of 1 MiB. */
    public TripParser() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    /** @param maxRecordBytes larger records are {@link RejectReason#OVERSIZED} */
    public TripParser(int maxRecordBytes) {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1, got " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Parses a whole array as one record. */
    public TripResult parse(byte[] record) {
        return parse(record, 0, record.length);
    }

    /**
     * Parses {@code len} bytes of {@code buf} from {@code off} as one record.
     *
     * @throws IndexOutOfBoundsException when off/len do not lie inside buf (a caller's bug, not bad input)
     */
    public TripResult parse(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > maxRecordBytes) {
            return oversized(len);
        }
        TripResult fast;
        try {
            fast = SCANNERS.get().scan(buf, off, len);
        } catch (RuntimeException scannerBug) {
            // cannot happen unless TripScanner has a bug (the equivalence tests call it directly and would
            // show it); a poison pill must not crash the batch, and Jackson's answer is the reference anyway
            fast = null;
        }
        return fast != null ? fast : parseWithJackson(buf, off, len);
    }

    /**
     * The reference path: every record through Jackson, as if {@link TripScanner} did not exist. {@link #parse}
     * gives the same result for every input; tests compare the two.
     */
    TripResult parseWithJacksonOnly(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > maxRecordBytes) {
            return oversized(len);
        }
        return parseWithJackson(buf, off, len);
    }

    private Rejection oversized(int len) {
        return new Rejection(RejectReason.OVERSIZED, null,
                "the record has " + len + " bytes, more than the maximum of " + maxRecordBytes);
    }

    /** UTF-8 check, then Jackson: for any record, whatever {@link TripScanner} made of it. */
    private static TripResult parseWithJackson(byte[] buf, int off, int len) {
        int bad = Utf8Validator.firstInvalid(buf, off, len);
        if (bad >= 0) {
            return new Rejection(RejectReason.NOT_UTF8, null, String.format(
                    "the record is not valid UTF-8: byte 0x%02X at offset %d does not start a valid sequence",
                    buf[bad] & 0xFF, bad - off));
        }
        try (JsonParser p = JSON.createParser(buf, off, len)) {
            return new Reading(p).read();
        } catch (StreamConstraintsException e) {
            // JSON, maybe, but past what is read (a trip has none of these): not called invalid
            return new Rejection(RejectReason.MALFORMED_JSON, null,
                    "the record's JSON goes past what this function reads: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            return new Rejection(RejectReason.MALFORMED_JSON, null,
                    "the record is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            // Cannot happen with an in-memory buffer unless Jackson or this class has a bug; a poison pill
            // must still not crash the batch, so it becomes a rejection that tests look for.
            return new Rejection(RejectReason.MALFORMED_JSON, null, UNEXPECTED + ": " + firstLine(String.valueOf(e)));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        int marker = line.indexOf(" (start marker at "); // Jackson's source location: noise in a detail
        if (marker >= 0) {
            line = line.substring(0, marker);
        }
        line = CONSTRAINT_SOURCE.matcher(line).replaceAll("($1)");
        line = READ_FEATURE_ADVICE.matcher(line).replaceAll(": JSON has no such value");
        return line.length() <= 200 ? line : line.substring(0, 197) + "...";
    }

    /** The state of reading one record; one short-lived object per record. */
    private static final class Reading {
        private static final int ABSENT = 0;
        private static final int LONG = 1;
        private static final int DOUBLE = 2;
        private static final int BIG = 3;
        private static final int REJECTED = 4;

        private final JsonParser p;
        /** The first field problem met; the rest of the record is still read to check its syntax. */
        private Rejection problem;

        private String id;
        private long vendorId;
        private boolean hasVendorId;
        private LocalDateTime pickupDate;
        private LocalDateTime dropoffDate;
        private long passengerCount;
        private boolean hasPassengerCount;
        private Double pickupLongitude;
        private Double pickupLatitude;
        private Double dropoffLongitude;
        private Double dropoffLatitude;
        private String storeAndFwdFlag;
        private Double gcDistance;
        private Long tripDuration;
        private Long googleDistance;
        private Long googleDuration;

        /** Scratch for the number just read. */
        private long lv;
        private double dv;

        Reading(JsonParser p) {
            this.p = p;
        }

        TripResult read() throws IOException {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Rejection(RejectReason.MALFORMED_JSON, null, "the record is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                JsonToken trailing = p.nextToken();
                if (trailing != null) {
                    return trailingContent();
                }
                return new Rejection(RejectReason.NOT_AN_OBJECT, null,
                        "the record is " + describe(first) + ", not an object");
            }
            int expected = 0;
            int seen = 0; // the known fields met, one bit each
            while (true) {
                String name;
                int index;
                // Producers write the fields in the workshop's order: comparing the raw bytes with the name
                // expected next is cheaper than Jackson's symbol-table lookup; any other name takes the slow path.
                JsonToken token;
                if (expected < FIELD_ORDER.length) {
                    if (p.nextFieldName(FIELD_ORDER[expected])) {
                        index = expected;
                        name = FIELD_ORDER[expected].getValue();
                        expected++;
                        token = JsonToken.FIELD_NAME;
                    } else {
                        token = p.currentToken();
                        name = null;
                        index = -1;
                    }
                } else {
                    token = p.nextToken();
                    name = null;
                    index = -1;
                }
                if (token != JsonToken.FIELD_NAME) {
                    break; // END_OBJECT; anything else would have been a syntax error
                }
                if (name == null) {
                    name = p.currentName();
                    index = fieldIndex(name);
                    if (index >= 0) {
                        expected = index + 1; // an optional field was left out: guess on from here
                    }
                }
                if (index >= 0 && (seen & 1 << index) != 0 && problem == null) {
                    // JSON allows it, but which value the producer meant is a guess (Jackson would keep the last; the
                    // partition key may carry the first): not a trip to count
                    problem = new Rejection(RejectReason.MALFORMED_JSON, name,
                            "the record has " + name + " twice, and which of its values is meant is ambiguous");
                }
                if (index >= 0) {
                    seen |= 1 << index;
                }
                JsonToken value = p.nextToken();
                if (problem == null) {
                    field(name, value);
                }
                p.skipChildren(); // unknown fields, and objects or arrays where a scalar belongs
            }
            if (p.nextToken() != null) {
                return trailingContent();
            }
            if (problem != null) {
                return problem;
            }
            return build();
        }

        private static int fieldIndex(String name) {
            for (int i = 0; i < FIELD_ORDER.length; i++) {
                if (FIELD_ORDER[i].getValue().equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        private static Rejection trailingContent() {
            return new Rejection(RejectReason.MALFORMED_JSON, null,
                    "the record has more JSON after its first value");
        }

        private void field(String name, JsonToken value) throws IOException {
            switch (name) {
                case "id" -> id = string(value, "id", true);
                case "vendorId" -> {
                    hasVendorId = integer(value, "vendorId", true);
                    if (hasVendorId) {
                        vendorId = lv;
                        problem = TripRules.vendorIdProblem(lv);
                    }
                }
                case "pickupDate" -> pickupDate = date(value, "pickupDate", true);
                case "dropoffDate" -> dropoffDate = date(value, "dropoffDate", false);
                case "passengerCount" -> {
                    hasPassengerCount = integer(value, "passengerCount", true);
                    if (hasPassengerCount) {
                        passengerCount = lv;
                        problem = TripRules.passengerCountProblem(lv);
                    }
                }
                case "pickupLongitude" -> pickupLongitude = decimal(value, "pickupLongitude");
                case "pickupLatitude" -> pickupLatitude = decimal(value, "pickupLatitude");
                case "dropoffLongitude" -> dropoffLongitude = decimal(value, "dropoffLongitude");
                case "dropoffLatitude" -> dropoffLatitude = decimal(value, "dropoffLatitude");
                case "storeAndFwdFlag" -> storeAndFwdFlag = flag(value);
                case "gcDistance" -> gcDistance = decimal(value, "gcDistance");
                case "tripDuration" -> tripDuration = optionalInteger(value, "tripDuration");
                case "googleDistance" -> googleDistance = optionalInteger(value, "googleDistance");
                case "googleDuration" -> googleDuration = optionalInteger(value, "googleDuration");
                default -> {
                    // not ours: skipped by the caller
                }
            }
        }

        private TripResult build() {
            if (id == null) {
                return missing("id");
            }
            if (!hasVendorId) {
                return missing("vendorId");
            }
            if (pickupDate == null) {
                return missing("pickupDate");
            }
            if (!hasPassengerCount) {
                return missing("passengerCount");
            }
            Trip trip = new Trip(id, (int) vendorId, pickupDate, dropoffDate, (int) passengerCount,
                    pickupLongitude, pickupLatitude, dropoffLongitude, dropoffLatitude, storeAndFwdFlag,
                    gcDistance, tripDuration, googleDistance, googleDuration);
            return TripRules.validate(trip);
        }

        private static Rejection missing(String field) {
            return new Rejection(RejectReason.MISSING_FIELD, field, "the record has no " + field);
        }

        // ---- typed readers: each returns the value, or null/false after recording a problem or when absent

        /** Reads any number form; the value is left in {@link #lv} or {@link #dv}. */
        private int number(JsonToken t, String field, boolean required) throws IOException {
            switch (t) {
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        dv = p.getDoubleValue();
                        return BIG;
                    }
                    lv = p.getLongValue();
                    return LONG;
                }
                case VALUE_NUMBER_FLOAT -> {
                    dv = p.getDoubleValue();
                    return DOUBLE;
                }
                case VALUE_STRING -> {
                    char[] c = p.getTextCharacters();
                    int o = p.getTextOffset();
                    int n = p.getTextLength();
                    if (n == 0) {
                        return absentOrMissing(field, required, "is empty");
                    }
                    int kind = NumberText.classify(c, o, n);
                    if (kind == NumberText.INTEGER && NumberText.fitsLong(c, o, n)) {
                        lv = NumberText.parseLong(c, o, n);
                        return LONG;
                    }
                    if (kind == NumberText.INTEGER) {
                        Long slow = NumberText.parseLongSlow(c, o, n);
                        if (slow != null) {
                            lv = slow;
                            return LONG;
                        }
                    }
                    if (kind == NumberText.NOT_A_NUMBER) {
                        problem = new Rejection(RejectReason.WRONG_TYPE, field,
                                field + " \"" + TripRules.abbreviate(p.getText()) + "\" is not a number");
                        return REJECTED;
                    }
                    dv = NumberText.parseDouble(c, o, n);
                    return kind == NumberText.INTEGER ? BIG : DOUBLE;
                }
                case VALUE_NULL -> {
                    return absentOrMissing(field, required, "is null");
                }
                default -> {
                    problem = wrongType(field, t, "a number");
                    return REJECTED;
                }
            }
        }

        private int absentOrMissing(String field, boolean required, String what) {
            if (required) {
                problem = new Rejection(RejectReason.MISSING_FIELD, field, field + " " + what);
                return REJECTED;
            }
            return ABSENT;
        }

        /** An integer into {@link #lv}; false when absent or rejected. */
        private boolean integer(JsonToken t, String field, boolean required) throws IOException {
            switch (number(t, field, required)) {
                case LONG -> {
                    return true;
                }
                case DOUBLE -> {
                    if (Double.isFinite(dv) && dv != Math.rint(dv)) {
                        problem = new Rejection(RejectReason.WRONG_TYPE, field,
                                field + " " + dv + " is not a whole number");
                        return false;
                    }
                    // 2^63 is exact as a double; anything from there on does not fit a long
                    if (!(Math.abs(dv) < 0x1p63)) {
                        problem = tooLarge(field);
                        return false;
                    }
                    Rejection lost = TripRules.zeroTextProblem(field, p.getText(), dv);
                    if (lost != null) {
                        problem = lost;
                        return false;
                    }

                    lv = (long) dv;
                    return true;
                }
                case BIG -> {
                    problem = tooLarge(field);
                    return false;
                }
                default -> {
                    return false;
                }
            }
        }

        private Long optionalInteger(JsonToken t, String field) throws IOException {
            return integer(t, field, false) ? lv : null;
        }

        /** A whole number beyond a long: the same sentence as the field's range rule where it has one. */
        private Rejection tooLarge(String field) throws IOException {
            String text = TripRules.abbreviate(p.getText());
            String detail = switch (field) {
                case "vendorId" -> field + " " + text + " is outside " + TripRules.MIN_VENDOR_ID + ".." + Integer.MAX_VALUE;
                case "passengerCount" -> field + " " + text + " is outside " + TripRules.MIN_PASSENGERS + ".."
                        + TripRules.MAX_PASSENGERS;
                default -> field + " " + text + (text.startsWith("-") ? " is negative" : " is too large for a 64-bit integer");
            };
            return new Rejection(RejectReason.OUT_OF_RANGE, field, detail);
        }

        /** An optional decimal; infinities are left to {@link TripRules}, which rejects them. */
        private Double decimal(JsonToken t, String field) throws IOException {
            return switch (number(t, field, false)) {
                case LONG -> (double) lv;
                case DOUBLE, BIG -> {
                    Rejection unstorable = TripRules.zeroTextProblem(field, p.getText(), dv);
                    if (unstorable != null) {
                        problem = unstorable;
                        yield null;
                    }
                    yield dv;
                }
                default -> null;
            };
        }

        private String string(JsonToken t, String field, boolean required) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                return s.isEmpty() && !required ? null : s;
            }
            if (t == JsonToken.VALUE_NULL) {
                absentOrMissing(field, required, "is null");
                return null;
            }
            problem = wrongType(field, t, "a string");
            return null;
        }

        /** The flag without allocating for the two usual values. */
        private String flag(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING && p.getTextLength() == 1) {
                char c = p.getTextCharacters()[p.getTextOffset()];
                if (c == 'N') {
                    return TripRules.FLAG_NO;
                }
                if (c == 'Y') {
                    return TripRules.FLAG_YES;
                }
            }
            return string(t, "storeAndFwdFlag", false);
        }

        private LocalDateTime date(JsonToken t, String field, boolean required) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                int n = p.getTextLength();
                if (n == 0) {
                    absentOrMissing(field, required, "is empty");
                    return null;
                }
                LocalDateTime d = TripDates.parse(p.getTextCharacters(), p.getTextOffset(), n);
                if (d == null) {
                    problem = new Rejection(RejectReason.WRONG_TYPE, field, field + " \""
                            + TripRules.abbreviate(p.getText()) + "\" is not a date-time this function reads (ISO-8601, such as 2016-01-01T00:14:00;"
                            + " a real calendar day, years 0000-9999 once in UTC, hours 0-23, seconds 0-59)");
                }
                return d;
            }
            if (t == JsonToken.VALUE_NULL) {
                absentOrMissing(field, required, "is null");
                return null;
            }
            problem = wrongType(field, t, "an ISO-8601 date-time string");
            return null;
        }

        private static Rejection wrongType(String field, JsonToken t, String expected) {
            return new Rejection(RejectReason.WRONG_TYPE, field,
                    field + " is " + describe(t) + ", not " + expected);
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case START_OBJECT -> "a JSON object";
                case START_ARRAY -> "a JSON array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.asString() == null ? t.name() : t.asString();
            };
        }
    }
}
