package dev.kinesisaggs.core.csv;

import dev.kinesisaggs.core.trip.Rejection;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripResult;
import dev.kinesisaggs.core.trip.TripRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The workshop's trip CSV layout: which form a file is in, and how one data line becomes a {@link Trip}.
 *
 * <p>Two forms are accepted, told apart by the first line ({@link #fromFirstLine}): with the header (ours), or
 * without one (the workshop repository's copy), the 14 columns then in the order of {@link #HEADER}. With a
 * header, columns are found by their name, so their order may differ and extra columns are ignored.
 * Dates are {@code M/D/YYYY H:MM} or {@code M/D/YY H:MM} (seconds allowed: {@code H:MM:SS}), local time.
 * An empty value is an absent value: for an optional field (the 559 rows without Google distance and duration)
 * that is fine, for a required one (id, vendor_id, pickup_datetime, passenger_count) the row is bad. Values may
 * be quoted as RFC 4180 says ({@code "id1","1/1/16 0:14"}, {@code ""} for a quote inside); a quoted value may not
 * span lines. Clean rows follow the same value rules as JSON trips ({@link TripRules}).
 */
public final class TripCsv {

    /** The workshop file's header line. */
    public static final String HEADER = "id,vendor_id,pickup_datetime,dropoff_datetime,passenger_count,"
            + "pickup_longitude,pickup_latitude,dropoff_longitude,dropoff_latitude,store_and_fwd_flag,"
            + "gc_distance,trip_duration,google_distance,google_duration";

    static final List<String> COLUMNS = List.of(HEADER.split(","));

    private static final int ID = 0;
    private static final int VENDOR_ID = 1;
    private static final int PICKUP = 2;
    private static final int DROPOFF = 3;
    private static final int PASSENGERS = 4;
    private static final int PICKUP_LON = 5;
    private static final int PICKUP_LAT = 6;
    private static final int DROPOFF_LON = 7;
    private static final int DROPOFF_LAT = 8;
    private static final int FLAG = 9;
    private static final int GC_DISTANCE = 10;
    private static final int TRIP_DURATION = 11;
    private static final int GOOGLE_DISTANCE = 12;
    private static final int GOOGLE_DURATION = 13;

    /** The accepted forms of a year in a date. */
    public enum Years {
        TWO_DIGIT("two-digit years"),
        FOUR_DIGIT("four-digit years"),
        /** No trip row to tell them by (no data line, or its pickup_datetime is not a date). */
        NOT_SEEN(null);

        private final String description;

        Years(String description) {
            this.description = description;
        }
    }

    /**
     * The form a file was recognised in.
     *
     * @param header whether its first line is the header
     * @param years  the form of the years in its first trip row's pickup_datetime
     */
    public record Form(boolean header, Years years) {

        /** One line for a person, e.g. {@code workshop CSV without a header, two-digit years}. */
        public String describe() {
            return "workshop CSV " + (header ? "with a header" : "without a header")
                    + (years.description == null ? "" : ", " + years.description);
        }
    }

    /** For each of our columns, its index in the file's lines. */
    private final int[] index;
    private final int width;
    private final boolean header;

    private TripCsv(int[] index, int width, boolean header) {
        this.index = index;
        this.width = width;
        this.header = header;
    }

    /**
     * The layout of a file, from its first line: the header when it names one of our columns; otherwise, when it
     * is a trip row of our 14 columns in our order (its pickup_datetime a date), a file without a header.
     *
     * @param firstLine the first line, a byte order mark included if the file has one
     * @param source    names the file in the error message
     * @throws IllegalArgumentException when the first line is a header that lacks a column, or neither a header nor
     *                                  a trip row
     */
    public static TripCsv fromFirstLine(String firstLine, String source) {
        List<String> values = split(firstLine == null ? "" : stripBom(firstLine));
        if (values != null && values.stream().anyMatch(COLUMNS::contains)) {
            return fromHeader(values, source);
        }
        if (values != null && values.size() == COLUMNS.size() && parseDate(values.get(PICKUP)) != null) {
            return withoutHeader();
        }
        throw new IllegalArgumentException(source + " is not a workshop trip CSV: its first line is neither the header"
                + " nor a trip row (" + COLUMNS.size() + " values, the third a date like 1/1/2016 0:14); give a file"
                + " whose header is " + HEADER + ", or whose lines are trips in these columns without it");
    }

    /** The layout of a file without a header: our columns in our order. */
    private static TripCsv withoutHeader() {
        int[] index = new int[COLUMNS.size()];
        for (int c = 0; c < index.length; c++) {
            index[c] = c;
        }
        return new TripCsv(index, COLUMNS.size(), false);
    }

    private static TripCsv fromHeader(List<String> names, String source) {
        int[] index = new int[COLUMNS.size()];
        List<String> lacking = new ArrayList<>();
        for (int c = 0; c < COLUMNS.size(); c++) {
            index[c] = names.indexOf(COLUMNS.get(c));
            if (index[c] < 0) {
                lacking.add(COLUMNS.get(c));
            }
        }
        if (!lacking.isEmpty()) {
            throw new IllegalArgumentException(source + " is not a workshop trip CSV: its first line lacks the column(s) "
                    + String.join(",", lacking) + "; give a file whose header is " + HEADER);
        }
        return new TripCsv(index, names.size(), true);
    }

    /** Whether the file's first line is the header (and not a trip row). */
    boolean hasHeader() {
        return header;
    }

    /**
     * The form of the years in a data line's pickup_datetime, to tell a person which form a file is in; a line
     * that is no trip row gives {@link Years#NOT_SEEN}. Every line may have either form: this only describes.
     */
    Years years(String line) {
        List<String> values = line == null ? null : split(line);
        if (values == null || values.size() != width) {
            return Years.NOT_SEEN;
        }
        String date = values.get(index[PICKUP]);
        if (parseDate(date) == null) {
            return Years.NOT_SEEN;
        }
        int year = date.lastIndexOf('/') + 1;
        return date.indexOf(' ', year) - year == 2 ? Years.TWO_DIGIT : Years.FOUR_DIGIT;
    }

    /** Reads one data line. */
    public CsvRow parse(long lineNumber, String line) {
        List<String> values = split(line);
        if (values == null) {
            return new CsvRow.Bad(lineNumber, line, "a quoted value is not closed on its line, or has text after its"
                    + " closing quote, or a value that is not quoted holds a quote");
        }
        if (values.size() != width) {
            return new CsvRow.Bad(lineNumber, line, "the line has " + values.size() + " values but "
                    + (header ? "the header has " + width + " columns" : "a trip has " + width));
        }
        Row row = new Row(values);
        Trip trip = row.trip();
        if (trip == null) {
            return new CsvRow.Bad(lineNumber, line, row.problem);
        }
        TripResult checked = TripRules.validate(trip);
        if (checked instanceof Rejection r) {
            return new CsvRow.Bad(lineNumber, line, inCsvWords(r.detail()));
        }
        return new CsvRow.Clean(lineNumber, trip);
    }

    /** A rule's sentence about a trip with the file's column names for the trip's field names (vendorId: vendor_id). */
    static String inCsvWords(String detail) {
        String said = detail;
        for (int f = 0; f < Trip.FIELD_NAMES.size(); f++) {
            said = said.replaceAll("\\b" + Trip.FIELD_NAMES.get(f) + "\\b", COLUMNS.get(f));
        }
        return said;
    }

    private final class Row {
        private final List<String> values;
        private String problem;

        Row(List<String> values) {
            this.values = values;
        }

        Trip trip() {
            String id = value(ID);
            Long vendorId = integer(VENDOR_ID, true);
            LocalDateTime pickup = date(PICKUP, true);
            LocalDateTime dropoff = date(DROPOFF, false);
            Long passengers = integer(PASSENGERS, true);
            Double pickupLon = decimal(PICKUP_LON);
            Double pickupLat = decimal(PICKUP_LAT);
            Double dropoffLon = decimal(DROPOFF_LON);
            Double dropoffLat = decimal(DROPOFF_LAT);
            String flag = value(FLAG);
            Double gc = decimal(GC_DISTANCE);
            Long duration = integer(TRIP_DURATION, false);
            Long googleDistance = integer(GOOGLE_DISTANCE, false);
            Long googleDuration = integer(GOOGLE_DURATION, false);
            if (problem == null && id.isEmpty()) {
                problem = "id is empty";
            }
            if (problem == null && TripRules.vendorIdProblem(vendorId) != null) {
                problem = inCsvWords(TripRules.vendorIdProblem(vendorId).detail());
            }
            if (problem == null && TripRules.passengerCountProblem(passengers) != null) {
                problem = inCsvWords(TripRules.passengerCountProblem(passengers).detail());
            }
            if (problem != null) {
                return null;
            }
            return new Trip(id, vendorId.intValue(), pickup, dropoff, passengers.intValue(),
                    pickupLon, pickupLat, dropoffLon, dropoffLat, flag.isEmpty() ? null : flag,
                    gc, duration, googleDistance, googleDuration);
        }

        private String value(int column) {
            return values.get(index[column]);
        }

        private Long integer(int column, boolean required) {
            String s = value(column);
            if (s.isEmpty()) {
                return missing(column, required) ? 0L : null;
            }
            if (isInteger(s) && s.length() <= 18) {
                return Long.parseLong(s);
            }
            // as a JSON trip's number is read: a whole number however written (17.0, 1e3), so both forms agree
            if (isDecimal(s)) {
                double d = Double.parseDouble(s);
                if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                    return (long) d;
                }
                if (Double.isInfinite(d) || d == Math.rint(d)) {
                    // whole, but past any field's range (1e40 passengers): it was called "not a whole number"
                    fail(column, s, "is out of range");
                    return 0L;
                }
            }
            fail(column, s, "is not a whole number");
            return 0L;
        }

        private Double decimal(int column) {
            String s = value(column);
            if (s.isEmpty()) {
                return null;
            }
            if (isDecimal(s)) {
                double d = Double.parseDouble(s);
                // 1e-400 reads as 0 and is not: refused as a JSON trip's is (it was taken as 0)
                Rejection lost = TripRules.zeroTextProblem(COLUMNS.get(column), s, d);
                if (lost != null && problem == null) {
                    problem = lost.detail();
                }
                return d;
            }
            fail(column, s, "is not a number");
            return null;
        }

        private LocalDateTime date(int column, boolean required) {
            String s = value(column);
            if (s.isEmpty()) {
                missing(column, required);
                return null;
            }
            LocalDateTime d = parseDate(s);
            if (d == null) {
                fail(column, s, "is not a date like 1/1/2016 0:14 or 1/1/16 0:14");
            }
            return d;
        }

        /** @return true when the column was required (a problem is then recorded) */
        private boolean missing(int column, boolean required) {
            if (required && problem == null) {
                problem = COLUMNS.get(column) + " is empty";
            }
            return required;
        }

        private void fail(int column, String value, String what) {
            if (problem == null) {
                problem = COLUMNS.get(column) + " \"" + value + "\" " + what;
            }
        }
    }

    /**
     * {@code M/D/YYYY H:MM[:SS]} or {@code M/D/YY H:MM[:SS]}, or null. A two-digit year is 20YY: the workshop's trips
     * are of 2016 and New York's taxi trip records begin in 2009, so no trip CSV has a year of the 1900s.
     */
    static LocalDateTime parseDate(String s) {
        int[] f = new int[6];
        int n = 0;
        int v = -1;
        int digits = 0;
        int yearDigits = 0;
        final char[] separators = {'/', '/', ' ', ':', ':'};
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '\0';
            if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
                if (++digits > 4) {
                    return null;
                }
            } else {
                boolean end = i == s.length();
                if (v < 0 || n >= 6 || (!end && (n >= separators.length || c != separators[n]))) {
                    return null;
                }
                if (n == 2) {
                    yearDigits = digits;
                }
                f[n++] = v;
                v = -1;
                digits = 0;
            }
        }
        if (n < 5 || (yearDigits != 2 && yearDigits != 4)) {
            return null;
        }
        try {
            return LocalDateTime.of(yearDigits == 2 ? 2000 + f[2] : f[2], f[0], f[1], f[3], f[4], n == 6 ? f[5] : 0);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    static boolean isInteger(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** JSON's number grammar, leading zeros allowed; Double.parseDouble alone would also take "NaN" or "1d". */
    static boolean isDecimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        int start = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == start) {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            int fracStart = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == fracStart) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expStart = i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == expStart) {
                return false;
            }
        }
        return i == n;
    }

    /**
     * The values of a line; null when a quoted value is not closed on the line or has text after its closing quote, or
     * a value that is not quoted holds a quote.
     * A line without a quote (the workshop's files have none) is cut at its commas by hand: a commons-csv parser made
     * for each line costs some five times as much. A line with quotes is read by commons-csv, as RFC 4180 says; one
     * line at a time, so that a bad row keeps its line number and its text as written.
     */
    static List<String> split(String line) {
        return line.indexOf('"') < 0 ? splitAtCommas(line) : splitQuoted(line);
    }

    private static List<String> splitQuoted(String line) {
        if (hasStrayQuote(line)) {
            return null;
        }
        try (CSVParser parser = CSVParser.parse(line, CSVFormat.RFC4180)) {
            Iterator<CSVRecord> records = parser.iterator();
            return records.hasNext() ? records.next().toList() : List.of("");
        } catch (IOException | UncheckedIOException badQuotes) {
            // reading a String fails only on the quotes: "EOF reached before encapsulated token finished", or
            // "invalid char between encapsulated token and delimiter"
            return null;
        }
    }

    /**
     * Whether a value that does not start with a quote holds one: RFC 4180 allows quotes in quoted values only, and
     * commons-csv takes them as text. Such a value is most often the rest of a quoted value cut by a line break (a
     * line of its own here), whose id would be {@code second"}: not a trip to count.
     */
    private static boolean hasStrayQuote(String line) {
        int i = 0; // where a value starts
        while (true) {
            int end;
            if (i < line.length() && line.charAt(i) == '"') {
                int close = closingQuote(line, i + 1);
                if (close < 0) {
                    return false; // not closed on its line: commons-csv refuses it
                }
                end = line.indexOf(',', close + 1); // text between the closing quote and the comma: commons-csv refuses it
            } else {
                end = line.indexOf(',', i);
                int quote = line.indexOf('"', i);
                if (quote >= 0 && (end < 0 || quote < end)) {
                    return true;
                }
            }
            if (end < 0) {
                return false;
            }
            i = end + 1;
        }
    }

    /** Where the quoted value from {@code from} ends: its closing quote ({@code ""} inside it is one quote), or -1. */
    private static int closingQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '"') {
                if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static List<String> splitAtCommas(String line) {
        List<String> values = new ArrayList<>(COLUMNS.size());
        int from = 0;
        while (true) {
            int comma = line.indexOf(',', from);
            if (comma < 0) {
                values.add(line.substring(from));
                return values;
            }
            values.add(line.substring(from, comma));
            from = comma + 1;
        }
    }

    static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
