package dev.kinesisaggs.core.trip;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * The fast path of {@link TripParser}: one pass over the record's bytes that builds the {@link Trip}
 * directly, for the records producers actually send.
 *
 * <p><b>Contract.</b> {@link #scan} either returns exactly the {@link TripResult} that the Jackson path of
 * {@link TripParser} gives for the same bytes, or {@code null}: "not mine, ask Jackson". It only answers
 * for a record it fully understands:
 * <ul>
 *   <li>pure ASCII (so the UTF-8 check is moot), one flat JSON object, only the four JSON blanks between
 *       tokens, nothing after the closing brace;</li>
 *   <li>field names without escapes, no known field twice; unknown fields whose value is a string, a
 *       number, {@code true}, {@code false} or {@code null};</li>
 *   <li>strings without escapes or control characters;</li>
 *   <li>numbers (as JSON numbers, or inside strings as the all-strings producer writes them) whose value
 *       it can compute exactly: integers of at most 18 significant digits, decimals whose digits fit
 *       2^53 with a power of ten up to 22 (Clinger's fast path: one correctly rounded IEEE operation on
 *       two exact operands, so the same double as any correct parser);</li>
 *   <li>dates in the producer's forms {@code yyyy-MM-ddTHH:mm:ss} and {@code yyyy-MM-ddTHH:mm};</li>
 *   <li>every required field present and no field-level problem (wrong type, a number out of a long,
 *       vendorId or passengerCount out of range, null or empty where a value is required).</li>
 * </ul>
 * On such a record the Jackson path finds no syntax error and no field problem either, so its answer is
 * {@code TripRules.validate} of the same trip, which is what this class returns. Anything else
 * (escapes, nesting, non-ASCII, odd numbers or dates, any rejection other than a value rule, any
 * malformed byte) makes it give up at once, and the Jackson path reads the record from the start and
 * decides, with its documented precedence of reasons. Giving up is always safe; answering is only
 * allowed when the answer is certain.
 *
 * <p>A record is read first as the producers lay it out ({@link ProducerLayout}: every field in their order, no blank,
 * each value in their form), which skips the search for blanks, colons and names and the general readers' branches; a
 * record that departs from that layout anywhere is read again from its start the general way (numbers by
 * {@link NumberReader}). Both answer only as above.
 *
 * <p>Not thread-safe: it keeps the state of the record being read in fields, so that reading a record
 * allocates nothing but the trip's own values. {@link TripParser} holds one per thread.
 */
final class TripScanner {

    // Field indexes, in the order the workshop producers write them; a trip's bits of its optional numbers are these.
    private static final int ID = 0;
    private static final int VENDOR_ID = 1;
    private static final int PICKUP_DATE = 2;
    private static final int DROPOFF_DATE = 3;
    private static final int PASSENGER_COUNT = 4;
    private static final int PICKUP_LONGITUDE = Trip.PICKUP_LONGITUDE;
    private static final int PICKUP_LATITUDE = Trip.PICKUP_LATITUDE;
    private static final int DROPOFF_LONGITUDE = Trip.DROPOFF_LONGITUDE;
    private static final int DROPOFF_LATITUDE = Trip.DROPOFF_LATITUDE;
    private static final int STORE_AND_FWD_FLAG = 9;
    private static final int GC_DISTANCE = Trip.GC_DISTANCE;
    private static final int TRIP_DURATION = Trip.TRIP_DURATION;
    private static final int GOOGLE_DISTANCE = Trip.GOOGLE_DISTANCE;
    private static final int GOOGLE_DURATION = Trip.GOOGLE_DURATION;
    private static final int UNKNOWN = 14;

    private static final byte[][] NAMES = Trip.FIELD_NAMES.stream().map(TripScanner::ascii).toArray(byte[][]::new);

    /** Each name (at most 16 bytes) as two little-endian longs, zero-padded, and the masks of its bytes. */
    private static final long[] NAME_WORDS = new long[2 * NAMES.length];
    private static final long[] NAME_MASKS = new long[2 * NAMES.length];

    static {
        for (int f = 0; f < NAMES.length; f++) {
            for (int i = 0; i < NAMES[f].length; i++) {
                NAME_WORDS[2 * f + i / 8] |= (long) NAMES[f][i] << (8 * (i % 8));
                NAME_MASKS[2 * f + i / 8] |= 0xFFL << (8 * (i % 8));
            }
        }
    }

    private static final int REQUIRED = 1 << ID | 1 << VENDOR_ID | 1 << PICKUP_DATE | 1 << PASSENGER_COUNT;

    /** Longer unknown names are left to Jackson, which has a limit on them (50,000 bytes). */
    private static final int MAX_NAME_LENGTH = 64;

    // What a number text turned out to be.
    private static final int NOT_HANDLED = NumberReader.NOT_HANDLED;
    private static final int INTEGER = NumberReader.INTEGER;
    private static final int DECIMAL = NumberReader.DECIMAL;

    private byte[] buf;
    private int pos;
    private int end;
    /** Bit i set when field i has been read: a second one makes us give up. */
    private int seen;
    /** The field that usually comes next, see {@link #takeQuoted}. */
    private int expected;

    /*
     * The values read so far, kept as primitives and offsets into the record: the objects of the trip are made
     * only in trip(), straight into the new Trip. This object lives long (one per thread, so in the old
     * generation), and with G1 every store of a reference into it pays a write barrier with a memory fence,
     * about as much as parsing a whole number; primitives pay nothing.
     */
    /** Bit i set when optional field i has a value (a {@code null} or {@code ""} leaves it clear). */
    private int present;
    private int idStart;
    private int idEnd;
    private int flagStart;
    private int flagEnd;
    /** Integer fields, and dates as {@link TripDates#packCommon} packs them, by field index. */
    private final long[] integers = new long[NAMES.length];
    /** Decimal fields by field index. */
    private final double[] decimals = new double[NAMES.length];

    /**
     * The date-times built lately, by packed value ({@link TripDates#packCommon}): trips come in time order, several
     * a minute, and a drop-off is minutes after its pick-up, so most dates were met just before. A date-time is an
     * immutable value, so trips may share one; reusing it saves making it (and its {@code LocalTime}) and checking
     * its fields again. A day's minutes have a slot each (the seconds are not in the slot, so date-times with seconds
     * share the slot of their minute). Stores into these arrays pay G1's write barrier, but only when a date is new.
     */
    private static final int DATE_TIMES = 2048;
    private final long[] dateTimeKeys = filled(DATE_TIMES, TripDates.NOT_A_DATE);
    private final LocalDateTime[] dateTimes = new LocalDateTime[DATE_TIMES];

    /** The date part of the last date-time built: trips come in time order, so most dates are the same day. */
    private LocalDate lastDate;
    private long lastDay = -1;

    /** The value of the last number read: {@link #integer} for {@link #INTEGER}, {@link #decimal} for {@link #DECIMAL}. */
    private long integer;
    private double decimal;

    /** Whether the last {@link #readNumber} met {@code null} or {@code ""} instead of a number. */
    private boolean absent;
    private final NumberReader numbers = new NumberReader();

    /** How many records were read again the general way, not being in the producers' layout: for tests. */
    int readAgain;

    /** Where the last string value's content starts and ends (exclusive). */
    private int stringStart;
    private int stringEnd;

    /**
     * The result for the record, or {@code null} when it is not a record this class answers for (see the
     * class comment); the caller then asks the Jackson path.
     */
    TripResult scan(byte[] buf, int off, int len) {
        reset(buf, off, len);
        try {
            boolean read = readInProducerLayout();
            if (!read) {
                readAgain++;
                reset(buf, off, len);
                read = readObject();
            }
            return read ? TripRules.validate(trip()) : null;
        } finally {
            this.buf = null; // do not keep a batch's buffer alive between records
        }
    }

    private void reset(byte[] buf, int off, int len) {
        this.buf = buf;
        pos = off;
        end = off + len;
        seen = 0;
        expected = 0;
        present = 0;
    }

    private Trip trip() {
        // pure ASCII, so Latin-1 decoding is UTF-8 decoding, and the cheapest there is
        String id = new String(buf, idStart, idEnd - idStart, StandardCharsets.ISO_8859_1);
        return new Trip(id, (int) integers[VENDOR_ID], dateTimeOrNull(PICKUP_DATE), dateTimeOrNull(DROPOFF_DATE),
                (int) integers[PASSENGER_COUNT], decimals[PICKUP_LONGITUDE], decimals[PICKUP_LATITUDE],
                decimals[DROPOFF_LONGITUDE], decimals[DROPOFF_LATITUDE], flagOrNull(), decimals[GC_DISTANCE],
                integers[TRIP_DURATION], integers[GOOGLE_DISTANCE], integers[GOOGLE_DURATION],
                present); // the trip keeps the numbers whose bit is set, and takes the rest (an earlier record's) as 0
    }

    private boolean has(int field) {
        return (present & 1 << field) != 0;
    }

    private LocalDateTime dateTimeOrNull(int field) {
        if (!has(field)) {
            return null;
        }
        long packed = integers[field];
        int slot = TripDates.minuteSlot(packed, DATE_TIMES);
        if (dateTimeKeys[slot] == packed) {
            return dateTimes[slot];
        }
        long day = TripDates.day(packed);
        if (day != lastDay) {
            lastDate = TripDates.date(packed);
            lastDay = day;
        }
        LocalDateTime dateTime = LocalDateTime.of(lastDate, TripDates.time(packed));
        dateTimeKeys[slot] = packed;
        dateTimes[slot] = dateTime;
        return dateTime;
    }

    private String flagOrNull() {
        if (!has(STORE_AND_FWD_FLAG)) {
            return null;
        }
        int length = flagEnd - flagStart;
        if (length == 1 && buf[flagStart] == 'N') {
            return TripRules.FLAG_NO;
        }
        if (length == 1 && buf[flagStart] == 'Y') {
            return TripRules.FLAG_YES;
        }
        // a value rule, not a type rule: TripRules rejects it, as it does on the Jackson path
        return new String(buf, flagStart, length, StandardCharsets.ISO_8859_1);
    }

    // ---- structure: each method returns false to give up

    /**
     * The record as the producers write it ({@link ProducerLayout}): each field in turn, its value in their own form
     * (their integers and decimals, the date with seconds, {@code "N"} or {@code "Y"}); false as soon as it departs from
     * that (a blank, another order, an optional field left out or null, a value in any other form), and the caller
     * reads it again from the start, the general way. Written out field by field, each with the reader of its one form,
     * rather than a loop over {@link #readValue}: the JIT then compiles straight code for the usual record, without the
     * general readers' branches (the full path 3-5 % faster, benchmarks/FIGURES.md).
     */
    private boolean readInProducerLayout() {
        return at(ID) && readId()
                && at(VENDOR_ID) && producersInteger(VENDOR_ID) && TripRules.vendorIdProblem(integers[VENDOR_ID]) == null
                && at(PICKUP_DATE) && producersDate(PICKUP_DATE)
                && at(DROPOFF_DATE) && producersDate(DROPOFF_DATE)
                && at(PASSENGER_COUNT) && producersInteger(PASSENGER_COUNT)
                && TripRules.passengerCountProblem(integers[PASSENGER_COUNT]) == null
                && at(PICKUP_LONGITUDE) && producersDecimal(PICKUP_LONGITUDE)
                && at(PICKUP_LATITUDE) && producersDecimal(PICKUP_LATITUDE)
                && at(DROPOFF_LONGITUDE) && producersDecimal(DROPOFF_LONGITUDE)
                && at(DROPOFF_LATITUDE) && producersDecimal(DROPOFF_LATITUDE)
                && at(STORE_AND_FWD_FLAG) && producersFlag()
                && at(GC_DISTANCE) && producersDecimal(GC_DISTANCE)
                && at(TRIP_DURATION) && producersInteger(TRIP_DURATION)
                && at(GOOGLE_DISTANCE) && producersInteger(GOOGLE_DISTANCE)
                && at(GOOGLE_DURATION) && producersInteger(GOOGLE_DURATION)
                && pos + 1 == end && buf[pos] == '}';
    }

    /** Past the punctuation and name before {@code field}'s value, when they are there as the producers write them. */
    private boolean at(int field) {
        if (!ProducerLayout.prefixAt(buf, pos, end, field)) {
            return false;
        }
        pos += ProducerLayout.prefixLength(field);
        return true;
    }

    /** An integer as the producers write one ({@link ProducerLayout#integerAt}); false for any other form. */
    private boolean producersInteger(int field) {
        long number = ProducerLayout.integerAt(buf, pos, end);
        if (number == ProducerLayout.OTHER_FORM) {
            return false;
        }
        integers[field] = ProducerLayout.mantissa(number);
        present |= 1 << field;
        pos += ProducerLayout.length(number);
        return true;
    }

    /** A decimal as the producers write one ({@link ProducerLayout#decimalAt}); false for any other form. */
    private boolean producersDecimal(int field) {
        long number = ProducerLayout.decimalAt(buf, pos, end);
        if (number == ProducerLayout.OTHER_FORM) {
            return false;
        }
        double value = ProducerLayout.mantissa(number) / NumberReader.powerOfTen(ProducerLayout.fractionDigits(number));
        decimals[field] = ProducerLayout.negative(number) ? -value : value; // Clinger's, as NumberReader's
        present |= 1 << field;
        pos += ProducerLayout.length(number);
        return true;
    }

    /**
     * A date as the producers write one, {@code "yyyy-MM-ddTHH:mm:ss"}, read in place: {@link TripDates#packCommon}
     * checks every one of its 19 bytes, so none can be a quote, an escape or a control character, and the string need
     * not be scanned first. False for any other form.
     */
    private boolean producersDate(int field) {
        int p = pos;
        if (p + 20 >= end || buf[p] != '"' || buf[p + 20] != '"') {
            return false;
        }
        long date = TripDates.packCommon(buf, p + 1, 19);
        if (date == TripDates.NOT_A_DATE) {
            return false;
        }
        integers[field] = date;
        present |= 1 << field;
        pos = p + 21;
        return true;
    }

    /** {@code "N"} or {@code "Y"}; false for any other value. */
    private boolean producersFlag() {
        int p = pos;
        if (p + 3 >= end || buf[p] != '"' || buf[p + 2] != '"' || (buf[p + 1] != 'N' && buf[p + 1] != 'Y')) {
            return false;
        }
        flagStart = p + 1;
        flagEnd = p + 2;
        present |= 1 << STORE_AND_FWD_FLAG;
        pos = p + 3;
        return true;
    }

    /** The whole record: {@code {"name":value,...}} and only blanks after it. */
    private boolean readObject() {
        skipBlanks();
        if (!take('{')) {
            return false;
        }
        do {
            skipBlanks();
            int field = readName();
            if (field < 0) {
                return false;
            }
            skipBlanks();
            if (!take(':')) {
                return false;
            }
            skipBlanks();
            if (!readValue(field)) {
                return false;
            }
            skipBlanks();
        } while (take(','));
        if (!take('}')) {
            return false;
        }
        skipBlanks();
        return pos == end && (seen & REQUIRED) == REQUIRED;
    }

    /** A field name: its index, {@link #UNKNOWN}, or -1 to give up. */
    private int readName() {
        int field = takeQuoted(expected) ? expected : searchName();
        if (field == UNKNOWN || field < 0) {
            return field;
        }
        if ((seen & 1 << field) != 0) {
            return -1; // Jackson keeps the last value, but may also report a problem of the first one
        }
        seen |= 1 << field;
        expected = field + 1 < NAMES.length ? field + 1 : 0;
        return field;
    }

    /**
     * Whether the next bytes are exactly {@code "name"}, quotes included (then it moves past them). Producers
     * write the fields in {@link #NAMES} order, so guessing the next name and comparing it whole is much
     * cheaper than reading the name byte by byte and looking it up.
     */
    private boolean takeQuoted(int field) {
        int p = pos;
        int n = NAMES[field].length;
        if (p + n + 1 >= end || buf[p] != '"' || buf[p + n + 1] != '"') {
            return false;
        }
        boolean same;
        if (p + 17 <= end) { // the 16 bytes after the quote can be read as two longs
            same = (EightDigits.word(buf, p + 1) & NAME_MASKS[2 * field]) == NAME_WORDS[2 * field]
                    && (EightDigits.word(buf, p + 9) & NAME_MASKS[2 * field + 1]) == NAME_WORDS[2 * field + 1];
        } else {
            same = Arrays.equals(buf, p + 1, p + 1 + n, NAMES[field], 0, n);
        }
        if (same) {
            pos = p + n + 2;
        }
        return same;
    }

    /** The name read as a string and looked up: its index, {@link #UNKNOWN}, or -1 to give up. */
    private int searchName() {
        if (!readString() || stringEnd - stringStart > MAX_NAME_LENGTH) {
            return -1;
        }
        int length = stringEnd - stringStart;
        for (int i = 0; i < NAMES.length; i++) {
            byte[] name = NAMES[i];
            if (name.length == length && Arrays.equals(buf, stringStart, stringEnd, name, 0, length)) {
                return i;
            }
        }
        return UNKNOWN;
    }

    /** The value of a field; false to give up. */
    private boolean readValue(int field) {
        return switch (field) {
            case ID -> readId();
            case VENDOR_ID -> readVendorId();
            case PICKUP_DATE -> readPickupDate();
            case DROPOFF_DATE -> readDropoffDate();
            case PASSENGER_COUNT -> readPassengerCount();
            case PICKUP_LONGITUDE, PICKUP_LATITUDE, DROPOFF_LONGITUDE, DROPOFF_LATITUDE, GC_DISTANCE ->
                    readDecimal(field);
            case STORE_AND_FWD_FLAG -> readFlag();
            case TRIP_DURATION, GOOGLE_DISTANCE, GOOGLE_DURATION -> readOptionalInteger(field);
            default -> skipScalar();
        };
    }

    // ---- the fields

    private boolean readId() {
        if (!readString() || stringEnd == stringStart) {
            return false; // not a string, or empty: a rejection, which is Jackson's to word
        }
        idStart = stringStart;
        idEnd = stringEnd;
        return true;
    }

    private boolean readVendorId() {
        return readInteger(VENDOR_ID) && TripRules.vendorIdProblem(integers[VENDOR_ID]) == null;
    }

    private boolean readPassengerCount() {
        return readInteger(PASSENGER_COUNT) && TripRules.passengerCountProblem(integers[PASSENGER_COUNT]) == null;
    }

    private boolean readPickupDate() {
        return readDate(PICKUP_DATE); // an empty one makes us give up too
    }

    private boolean readDropoffDate() {
        if (readNull()) {
            return true;
        }
        if (pos + 1 < end && buf[pos] == '"' && buf[pos + 1] == '"') {
            pos += 2;
            return true; // an empty optional date is absent, as on the Jackson path
        }
        return readDate(DROPOFF_DATE);
    }

    /** A date string in one of the producer's forms, or false to give up. */
    private boolean readDate(int field) {
        if (producersDate(field)) {
            return true;
        }
        if (!readString()) {
            return false;
        }
        long date = TripDates.packCommon(buf, stringStart, stringEnd - stringStart);
        if (date == TripDates.NOT_A_DATE) {
            return false;
        }
        integers[field] = date;
        present |= 1 << field;
        return true;
    }

    private boolean readFlag() {
        if (readNull()) {
            return true;
        }
        if (!readString()) {
            return false;
        }
        if (stringEnd > stringStart) {
            flagStart = stringStart;
            flagEnd = stringEnd;
            present |= 1 << STORE_AND_FWD_FLAG;
        }
        return true;
    }

    /**
     * An optional decimal as a JSON number or a number in a string; false to give up. A JSON {@code null} or an
     * empty string leaves the field absent, as on the Jackson path.
     */
    private boolean readDecimal(int field) {
        if (producersDecimal(field)) {
            return true;
        }
        switch (readNumber()) {
            case INTEGER -> decimals[field] = (double) integer; // as Jackson: a long, then widened (so "-0" is 0.0)
            case DECIMAL -> decimals[field] = decimal;
            default -> {
                return absent;
            }
        }
        present |= 1 << field;
        return true;
    }

    /**
     * An integer as a JSON number or a number in a string, the producers' form first; false to give up (and
     * {@link #absent} set when it is {@code null} or {@code ""}). Integral decimals ("2.0") are Jackson's.
     */
    private boolean readInteger(int field) {
        if (producersInteger(field)) {
            return true;
        }
        if (readNumber() != INTEGER) {
            return false;
        }
        integers[field] = integer;
        present |= 1 << field;
        return true;
    }

    /** An optional integer, like {@link #readDecimal}: a {@code null} or {@code ""} leaves it absent. */
    private boolean readOptionalInteger(int field) {
        return readInteger(field) || absent;
    }

    // ---- tokens

    /**
     * A number, as a JSON number or alone inside a string; its value goes to {@link #integer} or
     * {@link #decimal}. {@code null} and {@code ""} give {@link #NOT_HANDLED} with {@link #absent} set.
     */
    private int readNumber() {
        absent = false;
        int p = pos;
        if (p + 1 >= end) {
            return NOT_HANDLED; // a value needs at least one byte, and the object its closing brace
        }
        byte first = buf[p];
        if (first == '"') {
            if (buf[p + 1] == '"') {
                pos = p + 2;
                absent = true;
                return NOT_HANDLED;
            }
            int kind = numbers.read(buf, p + 1, end, false);
            if (kind == NOT_HANDLED || numbers.end >= end || buf[numbers.end] != '"') {
                return NOT_HANDLED; // the string holds something else too: Jackson's "not a number"
            }
            pos = numbers.end + 1;
            return keepValue(kind);
        }
        if (first == 'n') {
            absent = readNull();
            return NOT_HANDLED;
        }
        int kind = numbers.read(buf, p, end, true);
        if (kind == NOT_HANDLED || (numbers.end < end && NumberReader.isNumberByte(buf[numbers.end]))) {
            return NOT_HANDLED; // e.g. "1.5.3" or "1-2": not one JSON number
        }
        pos = numbers.end;
        return keepValue(kind);
    }

    /** The value of the number {@link #numbers} has just read, in {@link #integer} or {@link #decimal}. */
    private int keepValue(int kind) {
        integer = numbers.integer;
        decimal = numbers.decimal;
        return kind;
    }

    /** A string without escapes, control characters or non-ASCII bytes; its content is left in stringStart/End. */
    private boolean readString() {
        if (!take('"')) {
            return false;
        }
        // locals, not fields, in the loops that run per byte: the JIT keeps them in registers
        byte[] b = buf;
        int limit = end;
        for (int i = pos; i < limit; i++) {
            byte c = b[i];
            if (c == '"') {
                stringStart = pos;
                stringEnd = i;
                pos = i + 1;
                return true;
            }
            if (c < 0x20 || c == '\\') { // bytes are signed: non-ASCII is negative
                return false;
            }
        }
        return false;
    }

    /** The value of an unknown field: any scalar, checked as strictly as Jackson would. */
    private boolean skipScalar() {
        if (pos >= end) {
            return false;
        }
        return switch (buf[pos]) {
            case '"' -> readString();
            case 'n' -> readNull();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            default -> readNumber() != NOT_HANDLED;
        };
    }

    private boolean readNull() {
        return literal("null");
    }

    /** The literal word, which must not run on into letters or digits ({@code nullx} is malformed). */
    private boolean literal(String word) {
        int n = word.length();
        if (end - pos < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true; // whatever follows must be a blank, ',' or '}', which readObject checks
    }

    private boolean take(char c) {
        if (pos < end && buf[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** The four blanks JSON allows; anything else is left for the caller to reject. */
    private void skipBlanks() {
        byte[] b = buf;
        int i = pos;
        // producers write no blanks, and every byte that may follow one is above ' ': one comparison then
        while (i < end && b[i] <= ' ') {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        pos = i;
    }

    private static long[] filled(int length, long value) {
        long[] array = new long[length];
        Arrays.fill(array, value);
        return array;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
