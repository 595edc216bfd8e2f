package dev.kinesisaggs.core.csv;

import dev.kinesisaggs.core.trip.Rejection;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripResult;
import dev.kinesisaggs.core.trip.TripRules;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The workshop's trip CSV layout: the header, and how one data line becomes a {@link Trip}.
 *
 * <p>Columns are found by their header name, so their order may differ and extra columns are ignored.
 * Dates are {@code M/D/YYYY H:MM} (seconds allowed: {@code H:MM:SS}), local time. An empty value is an
 * absent value: for an optional field (the 559 rows without Google distance and duration) that is fine,
 * for a required one (id, vendor_id, pickup_datetime, passenger_count) the row is bad. Values are not
 * quoted in the workshop's file and quoting is not supported. Clean rows follow the same value rules
 * as JSON trips ({@link TripRules}).
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

    /** For each of our columns, its index in the file's header. */
    private final int[] index;
    private final int width;

    private TripCsv(int[] index, int width) {
        this.index = index;
        this.width = width;
    }

    /**
     * The layout of a file, from its header line.
     *
     * @param source names the file in the error message
     * @throws IllegalArgumentException when the header lacks a column
     */
    public static TripCsv fromHeader(String headerLine, String source) {
        List<String> names = split(headerLine == null ? "" : stripBom(headerLine));
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
        return new TripCsv(index, names.size());
    }

    /** Reads one data line. */
    public CsvRow parse(long lineNumber, String line) {
        List<String> values = split(line);
        if (values.size() != width) {
            return new CsvRow.Bad(lineNumber, line, "the line has " + values.size()
                    + " values but the header has " + width + " columns");
        }
        Row row = new Row(values);
        Trip trip = row.trip();
        if (trip == null) {
            return new CsvRow.Bad(lineNumber, line, row.problem);
        }
        TripResult checked = TripRules.validate(trip);
        if (checked instanceof Rejection r) {
            return new CsvRow.Bad(lineNumber, line, r.detail());
        }
        return new CsvRow.Clean(lineNumber, trip);
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
                problem = TripRules.vendorIdProblem(vendorId).detail();
            }
            if (problem == null && TripRules.passengerCountProblem(passengers) != null) {
                problem = TripRules.passengerCountProblem(passengers).detail();
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
            fail(column, s, "is not a whole number");
            return 0L;
        }

        private Double decimal(int column) {
            String s = value(column);
            if (s.isEmpty()) {
                return null;
            }
            if (isDecimal(s)) {
                return Double.parseDouble(s);
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
                fail(column, s, "is not a date like 1/1/2016 0:14");
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

    /** {@code M/D/YYYY H:MM[:SS]}, or null. */
    static LocalDateTime parseDate(String s) {
        int[] f = new int[6];
        int n = 0;
        int v = -1;
        int digits = 0;
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
                f[n++] = v;
                v = -1;
                digits = 0;
            }
        }
        if (n < 5) {
            return null;
        }
        try {
            return LocalDateTime.of(f[2], f[0], f[1], f[3], f[4], n == 6 ? f[5] : 0);
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

    private static List<String> split(String line) {
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

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
