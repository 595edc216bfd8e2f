package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link TripParser#parse} (fast scanner, Jackson when the scanner gives up) against
 * {@link TripParser#parseWithJacksonOnly} (Jackson for every record): the same {@link TripResult} for any bytes.
 *
 * <p>Records are built from a seed: every known field (or not), each value drawn from a mix of clean values in
 * both producer forms and the edge cases of each field (out of range, wrong type, null, empty, odd number forms,
 * escapes, non-ASCII...), unknown fields, duplicates, random order and random blanks. The statistics checks make
 * sure the fast path really answers for a good share of them, so that the equivalence is not won by always
 * giving up.
 */
class TripScannerEquivalenceTest {

    private static final String FAST = "answered by the fast path";

    private final TripParser parser = new TripParser();

    private void assertSameAsJackson(byte[] record) {
        TripResult expected = parser.parseWithJacksonOnly(record, 0, record.length);
        TripResult actual = parser.parse(record, 0, record.length);
        assertThat(actual).as("record %s", printable(record)).isEqualTo(expected);
    }

    private static boolean answeredByFastPath(byte[] record) {
        return new TripScanner().scan(record, 0, record.length) != null;
    }

    @Property(tries = 3000)
    @Label("generated records, clean or not, get the same result as with Jackson alone")
    void generated_records(@ForAll long seed) {
        byte[] record = new RecordMaker(new Random(seed)).record();
        assertSameAsJackson(record);
        boolean fast = answeredByFastPath(record);
        Statistics.label(FAST).collect(fast);
        Statistics.label(FAST).coverage(c -> c.check(true).percentage(p -> p > 15));
        if (fast) {
            Statistics.label("fast path result").collect(parser.parse(record) instanceof Trip ? "trip" : "rejection");
            Statistics.label("fast path result").coverage(c -> c.check("rejection").count(n -> n > 0));
        }
    }

    @Property(tries = 2000)
    @Label("producer-form records of typical trips: fast path, same trip, both forms, any order and blanks")
    void typical_records(@ForAll long seed) {
        Random random = new Random(seed);
        RecordMaker maker = new RecordMaker(random);
        Trip trip = maker.typicalTrip();
        byte[] producer = inEitherProducerForm(random, trip);
        byte[] reshuffled = maker.cleanRecord(trip);
        for (byte[] record : List.of(producer, reshuffled)) {
            assertThat(new TripScanner().scan(record, 0, record.length)).as("record %s", printable(record))
                    .isEqualTo(trip);
            assertSameAsJackson(record);
        }
    }

    @Property(tries = 3000)
    @Label("byte flips, truncations, insertions and deletions of records get the same result as with Jackson alone")
    void mutated_records(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] record = anyOrTypicalRecord(random);
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            record = mutate(record, random);
        }
        assertSameAsJackson(record);
        Statistics.label(FAST).collect(answeredByFastPath(record));
        Statistics.label(FAST).coverage(c -> c.check(true).percentage(p -> p > 5));
    }

    @Property(tries = 3000)
    @Label("a record in the middle of a larger buffer, digits on either side, gets the answer it gets alone")
    void records_inside_a_larger_buffer(@ForAll long seed) {
        // as the deaggregator hands them on: slices of the aggregate, the next record's bytes right after, which
        // the scanner must not take as the record's (it reads names eight bytes at a time; a cut record often
        // ends in a number)
        Random random = new Random(seed);
        byte[] record = anyOrTypicalRecord(random);
        if (random.nextBoolean()) {
            record = Arrays.copyOf(record, random.nextInt(record.length + 1));
        }
        byte[] buffer = new byte[7 + record.length + 20];
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (byte) ('0' + random.nextInt(10));
        }
        int offset = random.nextInt(8);
        System.arraycopy(record, 0, buffer, offset, record.length);
        assertThat(new TripScanner().scan(buffer, offset, record.length)).as("record %s", printable(record))
                .isEqualTo(new TripScanner().scan(record, 0, record.length));
    }

    @Property(tries = 2000)
    @Label("a producer's record cut anywhere, the rest of it right after in the buffer, gets the answer it gets alone")
    void producer_records_cut_before_their_own_bytes(@ForAll long seed) {
        // the producers' layout is compared 24 bytes at a time, past the record's end when the buffer goes on: the
        // bytes after a cut are the very ones the layout expects there, and must still not be taken as the record's
        Random random = new Random(seed);
        RecordMaker maker = new RecordMaker(random);
        Trip trip = maker.typicalTrip();
        byte[] whole = inEitherProducerForm(random, trip);
        int length = random.nextInt(whole.length + 1);
        byte[] alone = Arrays.copyOf(whole, length);
        assertThat(new TripScanner().scan(whole, 0, length)).as("record %s", printable(alone))
                .isEqualTo(new TripScanner().scan(alone, 0, length));
        assertThat(parser.parse(whole, 0, length)).isEqualTo(parser.parseWithJacksonOnly(alone, 0, length));
    }

    @org.junit.jupiter.api.Test
    @Label("odd number forms in a producer's record, at every numeric field, get the same result as with Jackson alone")
    void odd_numbers_in_the_producers_layout() {
        // the producers' integers and decimals are read in a few steps where the layout holds; every form around
        // theirs must still come out as Jackson has it
        List<String> forms = List.of("0", "-0", "00", "01", "007", "1", "9", "10", "1234567", "12345678", "123456789",
                "-1", "+1", "1e2", "1E2", "1.", ".5", "-.5", "0.5", "-0.0", "00.5", "01.5", "1.5e3", "1.5E-3", "1.5.3",
                "1-2", "-73.98174286", "-73.981742861", "-73.9817428612", "40.7", "12345.6", "1234.56789012",
                "7.928829612", "7.9288296121", "0.000000001", "1234.567890123", "-9999.999999999", "12345.67890123", "-", "--1", "1 ", " 1", "\"1\"", "\"01\"", "null",
                "\"\"", "true", "1,", "1}");
        List<String> numeric = List.of("vendorId", "passengerCount", "pickupLongitude", "pickupLatitude",
                "dropoffLongitude", "dropoffLatitude", "gcDistance", "tripDuration", "googleDistance", "googleDuration");
        assertThat(fastAnswersWithEachForm(numeric, forms)).as("records the fast path answered").isGreaterThan(numeric.size() * 5);
    }

    @org.junit.jupiter.api.Test
    @Label("odd strings in a producer's record, at its id, dates and flag, get the same result as with Jackson alone")
    void odd_strings_in_the_producers_layout() {
        // the producers' dates and flag are taken in place, without looking for the string's end: every byte that could
        // end, escape or spoil a string must still come out as Jackson has it (raw bytes as written, one char a byte)
        List<String> forms = List.of("\"N\"", "\"Y\"", "\"n\"", "\"X\"", "\"NN\"", "\"\"", "null", "N", "1", "\"\\\"",
                "\"\\\"\"", "\"\\u004E\"", "\"\u0001\"", "\"\u001F\"", "\"\u007F\"", "\"\u00C3\"", "\"\u00FF\"", "\"N",
                "\"2016-01-01T00:00:00\"", "\"2016-01-01T00:00\"", "\"2016-01-01T24:00:00\"", "\"2016-02-30T00:00:00\"",
                "\"2016-01-01 00:00:00\"", "\"2016-01-01T00:00:00Z\"", "\"2016-01-01T00:00:00.5\"", "\"2016-01-01T00:00:0\\\"",
                "\"2016-01-01T00:00:0\u0000\"", "\"2016-01-01T00:14:00\u00C3\"", "\"id0190469\"", "\"i\\d\"");
        List<String> strings = List.of("id", "pickupDate", "dropoffDate", "storeAndFwdFlag");
        assertThat(fastAnswersWithEachForm(strings, forms)).as("records the fast path answered").isGreaterThan(strings.size());
    }

    /**
     * Each form written in turn as the value of each field of the workshop's record (as bytes, one char a byte), each
     * record read by both paths: how many the fast path answered.
     */
    private int fastAnswersWithEachForm(List<String> fields, List<String> forms) {
        String producer = TripParserTest.WORKSHOP;
        int fast = 0;
        for (String field : fields) {
            int valueStart = producer.indexOf("\"" + field + "\":") + field.length() + 3;
            int valueEnd = valueStart;
            while (producer.charAt(valueEnd) != ',' && producer.charAt(valueEnd) != '}') {
                valueEnd++;
            }
            for (String form : forms) {
                byte[] record = (producer.substring(0, valueStart) + form + producer.substring(valueEnd))
                        .getBytes(StandardCharsets.ISO_8859_1);
                assertSameAsJackson(record);
                fast += answeredByFastPath(record) ? 1 : 0;
            }
        }
        return fast;
    }

    /** The trip as a producer writes it: numbers as JSON numbers or, half the time, every value as a string. */
    private static byte[] inEitherProducerForm(Random random, Trip trip) {
        return random.nextBoolean() ? TripJson.toBytes(trip) : TripJson.toBytesAllStrings(trip);
    }

    /** Half the time any generated record, clean or not; half the time a typical clean one. */
    private static byte[] anyOrTypicalRecord(Random random) {
        RecordMaker maker = new RecordMaker(random);
        return random.nextBoolean() ? maker.record() : maker.cleanRecord(maker.typicalTrip());
    }

    @Property(tries = 2000)
    @Label("random bytes get the same result as with Jackson alone")
    void random_bytes(@ForAll @Size(max = 400) byte[] record) {
        assertSameAsJackson(record);
    }

    @Property(tries = 3000)
    @Label("random JSON-like text gets the same result as with Jackson alone")
    void random_json_like_text(@ForAll("jsonLikeText") String text) {
        assertSameAsJackson(text.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> jsonLikeText() {
        Arbitrary<String> soup = Arbitraries.strings().withChars("{}[]\":,-+.0123456789eE \n\tnulltruefalsYN\\xé")
                .ofMaxLength(60);
        Arbitrary<String> tokens = Arbitraries.of("{", "}", "\"id\"", "\"vendorId\"", "\"passengerCount\"",
                        "\"pickupDate\"", "\"gcDistance\"", "\"x\"", ":", ",", "1", "0", "-0", "2.5", "1e2", "01",
                        "\"2016-01-01T00:00:00\"", "\"a\"", "\"\"", "null", "true", "[", "]", " ", "\"3\"")
                .list().ofMaxSize(24).map(l -> String.join("", l));
        return Arbitraries.oneOf(soup, tokens, tokens.map(t -> "{" + t));
    }

    @Property(tries = 500)
    @Label("producer-form records with blanks after a colon or around a comma: fast path, same trip")
    void producer_records_with_blanks(@ForAll long seed) {
        Random random = new Random(seed);
        Trip trip = new RecordMaker(random).typicalTrip();
        String producer = new String(TripJson.toBytes(trip), StandardCharsets.US_ASCII);
        StringBuilder record = new StringBuilder();
        boolean inString = false; // the producer writes no escapes
        for (char c : producer.toCharArray()) {
            inString ^= c == '"';
            if (c == ',' && !inString && random.nextInt(4) == 0) {
                record.append(pick(random, " ", "\n", "\t ")).append(c);
            } else {
                record.append(c);
            }
            if ((c == ':' || c == ',') && !inString && random.nextInt(4) == 0) {
                record.append(pick(random, " ", "  ", "\r\n", "\t"));
            }
        }
        byte[] bytes = record.toString().getBytes(StandardCharsets.US_ASCII);
        assertThat(new TripScanner().scan(bytes, 0, bytes.length)).as("record %s", printable(bytes)).isEqualTo(trip);
        assertSameAsJackson(bytes);
    }

    @Property(tries = 1000)
    @Label("ids of any length with a quote, backslash, control or non-ASCII byte anywhere, at the end of the array or not")
    void ids_with_a_special_byte_anywhere(@ForAll long seed) {
        Random random = new Random(seed);
        char[] id = new char[1 + random.nextInt(30)];
        for (int i = 0; i < id.length; i++) {
            id[i] = (char) ('a' + random.nextInt(26));
        }
        if (random.nextBoolean()) {
            String special = "\"\\\u0001\u001f\u007f \u00e9\u2028~";
            id[random.nextInt(id.length)] = special.charAt(random.nextInt(special.length()));
        }
        String text = "{\"vendorId\":1,\"pickupDate\":\"2016-01-01T00:00:00\",\"passengerCount\":1,\"id\":\""
                + new String(id) + "\"}";
        byte[] record = text.getBytes(StandardCharsets.UTF_8);
        assertSameAsJackson(record);
        byte[] inside = Arrays.copyOf(record, record.length + random.nextInt(20)); // the same record, more array after it
        Arrays.fill(inside, record.length, inside.length, (byte) '"');
        TripResult expected = parser.parseWithJacksonOnly(record, 0, record.length);
        assertThat(parser.parse(inside, 0, record.length)).as("record %s", printable(record)).isEqualTo(expected);
        Statistics.label(FAST).collect(answeredByFastPath(record));
        Statistics.label(FAST).coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    // ---- mutations

    private static byte[] mutate(byte[] b, Random random) {
        int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
        byte value = (byte) random.nextInt(256);
        switch (random.nextInt(6)) {
            case 0 -> { // flip bits of a byte
                if (b.length == 0) {
                    return b;
                }
                byte[] c = b.clone();
                c[Math.min(at, b.length - 1)] ^= value == 0 ? 1 : value;
                return c;
            }
            case 1 -> { // truncate
                return Arrays.copyOf(b, at);
            }
            case 2 -> { // insert a random byte
                return insert(b, at, value);
            }
            case 3 -> { // insert a byte that means something in JSON or in a number
                byte[] meaningful = "{}[]\",:-+.eE0 \n\\nt".getBytes(StandardCharsets.US_ASCII);
                return insert(b, at, meaningful[random.nextInt(meaningful.length)]);
            }
            case 4 -> { // delete a byte
                if (at >= b.length) {
                    return b;
                }
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                return c;
            }
            default -> { // delete a run of bytes
                int to = Math.min(b.length, at + 1 + random.nextInt(12));
                byte[] c = new byte[b.length - (to - at)];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, to, c, at, b.length - to);
                return c;
            }
        }
    }

    private static byte[] insert(byte[] b, int at, byte value) {
        byte[] c = new byte[b.length + 1];
        System.arraycopy(b, 0, c, 0, at);
        c[at] = value;
        System.arraycopy(b, at, c, at + 1, b.length - at);
        return c;
    }

    private static String printable(byte[] record) {
        StringBuilder out = new StringBuilder();
        for (char c : new String(record, StandardCharsets.UTF_8).toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** Builds records from one random source, so that a failing seed reproduces the record. */
    static final class RecordMaker {
        private static final String[] FIELDS = {"id", "vendorId", "pickupDate", "dropoffDate", "passengerCount",
                "pickupLongitude", "pickupLatitude", "dropoffLongitude", "dropoffLatitude", "storeAndFwdFlag",
                "gcDistance", "tripDuration", "googleDistance", "googleDuration"};

        private final Random random;
        /** How often a value is an edge case rather than a clean value; set per record by {@link #record()}. */
        private double edgeRate = 0.1;
        /** Whether blanks may be ones JSON does not allow (vertical tab, form feed, no-break space). */
        private boolean oddBlanks;

        RecordMaker(Random random) {
            this.random = random;
        }

        private boolean chance(double p) {
            return random.nextDouble() < p;
        }

        private <T> T pick(List<T> choices) {
            return choices.get(random.nextInt(choices.size()));
        }

        /** A trip as the data set has them: ASCII id, whole seconds, coordinates with a few decimals. */
        Trip typicalTrip() {
            LocalDateTime pickup = LocalDateTime.of(2016, 1, 1, 0, 0).plusSeconds(random.nextInt(60 * 60 * 24 * 366));
            LocalDateTime dropoff = chance(0.9) ? pickup.plusSeconds(random.nextInt(100_000)) : null;
            return new Trip("id" + random.nextInt(10_000_000), 1 + random.nextInt(2), pickup, dropoff, random.nextInt(10),
                    optional(() -> coordinate(180)), optional(() -> coordinate(90)), optional(() -> coordinate(180)),
                    optional(() -> coordinate(90)), chance(0.9) ? pick(List.of("Y", "N")) : null,
                    optional(() -> decimal(0, 200, 1 + random.nextInt(9))),
                    optional(() -> (long) random.nextInt(100_000)), optional(() -> (long) random.nextInt(1_000_000)),
                    optional(() -> chance(0.1) ? (long) random.nextInt((int) TripRules.MAX_DURATION_SECONDS + 1) : random.nextInt(10_000)));
        }

        private <T> T optional(java.util.function.Supplier<T> value) {
            return chance(0.9) ? value.get() : null;
        }

        private double coordinate(double max) {
            return decimal(-max, max, random.nextInt(11));
        }

        private double decimal(double min, double max, int scale) {
            return new BigDecimal(min + (max - min) * random.nextDouble()).setScale(scale, java.math.RoundingMode.HALF_EVEN)
                    .doubleValue();
        }

        /** A clean trip's record, each value in number or string form, in any order, with random blanks and extras. */
        byte[] cleanRecord(Trip t) {
            List<String> fields = new ArrayList<>();
            fields.add(field("id", quote(t.id())));
            fields.add(field("vendorId", maybeQuoted(Integer.toString(t.vendorId()))));
            fields.add(field("pickupDate", quote(TripDates.format(t.pickupDate()))));
            if (t.dropoffDate() != null) {
                fields.add(field("dropoffDate", quote(TripDates.format(t.dropoffDate()))));
            }
            fields.add(field("passengerCount", maybeQuoted(Integer.toString(t.passengerCount()))));
            addDecimal(fields, "pickupLongitude", t.pickupLongitude());
            addDecimal(fields, "pickupLatitude", t.pickupLatitude());
            addDecimal(fields, "dropoffLongitude", t.dropoffLongitude());
            addDecimal(fields, "dropoffLatitude", t.dropoffLatitude());
            if (t.storeAndFwdFlag() != null) {
                fields.add(field("storeAndFwdFlag", quote(t.storeAndFwdFlag())));
            }
            addDecimal(fields, "gcDistance", t.gcDistance());
            addInteger(fields, "tripDuration", t.tripDuration());
            addInteger(fields, "googleDistance", t.googleDistance());
            addInteger(fields, "googleDuration", t.googleDuration());
            int extras = random.nextInt(3);
            for (int i = 0; i < extras; i++) {
                fields.add(field(pick(List.of("extra", "x", "ID", "vendor", "")), pick(List.of(
                        "1", "-2.5e3", "\"text\"", "true", "false", "null", "\"2016-01-01T00:00:00\"", "0"))));
            }
            Collections.shuffle(fields, random);
            return object(fields);
        }

        private void addDecimal(List<String> fields, String name, Double value) {
            if (value != null) {
                String text = chance(0.7) ? Double.toString(value) : new BigDecimal(Double.toString(value)).toPlainString();
                fields.add(field(name, maybeQuoted(text)));
            } else if (chance(0.2)) {
                fields.add(field(name, pick(List.of("null", "\"\""))));
            }
        }

        private void addInteger(List<String> fields, String name, Long value) {
            if (value != null) {
                fields.add(field(name, maybeQuoted(Long.toString(value))));
            } else if (chance(0.2)) {
                fields.add(field(name, pick(List.of("null", "\"\""))));
            }
        }

        private String maybeQuoted(String number) {
            return chance(0.5) ? quote(number) : number;
        }

        /** Any record: each field drawn from clean values and the field's edge cases. */
        byte[] record() {
            edgeRate = pick(List.of(0.01, 0.05, 0.2, 0.5));
            oddBlanks = chance(0.1);
            List<String> fields = new ArrayList<>();
            for (String name : FIELDS) {
                boolean required = name.equals("id") || name.equals("vendorId") || name.equals("pickupDate")
                        || name.equals("passengerCount");
                if (chance(required ? 0.95 : 0.7)) {
                    fields.add(field(name, value(name)));
                    if (chance(edgeRate / 4)) {
                        fields.add(field(name, value(name))); // given twice
                    }
                }
            }
            int extras = chance(0.7) ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < extras; i++) {
                fields.add(!chance(edgeRate) ? field(pick(List.of("extra", "x", "idx", "")), pick(List.of(
                                "1", "-2.5e3", "\"text\"", "true", "false", "null", "\"\"", "0.5")))
                        : field(pick(List.of("extra", "caf\u00e9", "a\\\"b", "x".repeat(70))), unknownValue()));
            }
            if (chance(0.8)) {
                // mostly the producers' order, which is the fast path's best case
                fields.sort(java.util.Comparator.comparingInt(f -> fieldOrder(f)));
            } else {
                Collections.shuffle(fields, random);
            }
            byte[] record = object(fields);
            if (chance(edgeRate / 10)) {
                byte[] garbage = pick(List.of("x", "{}", ",", "\u0000")).getBytes(StandardCharsets.UTF_8);
                byte[] longer = Arrays.copyOf(record, record.length + garbage.length);
                System.arraycopy(garbage, 0, longer, record.length, garbage.length);
                return longer;
            }
            return record;
        }

        private static int fieldOrder(String field) {
            for (int i = 0; i < FIELDS.length; i++) {
                if (field.startsWith("\"" + FIELDS[i] + "\"")) {
                    return i;
                }
            }
            return FIELDS.length;
        }

        private String value(String name) {
            if (chance(edgeRate / 4)) {
                return pick(List.of("null", "\"\"", "true", "{}", "{\"a\":1}", "[1]", "\"abc\"", "\"a\\u0062\"",
                        "\"caf\u00e9\"", "12345", "-0", "1e2", "2.0", "\" 5\""));
            }
            return switch (name) {
                case "id" -> !chance(edgeRate) ? quote("id" + random.nextInt(100_000)) : pick(List.of(
                        quote("id" + random.nextInt(100)), quote("x".repeat(257)), quote("\u00e9t\u00e9"), quote("a\\\"b"), quote("\u007f")));
                case "vendorId" -> integer(List.of("1", "2", "0", "-1", "3000000000", "2147483647", "2147483648",
                        "99999999999999999999", "2.0", "2.5", "1e300", "007", "1E0", "+1", "01"));
                case "passengerCount" -> integer(List.of("0", "1", "5", "9", "10", "12", "-1", "1.0", "-0",
                        "1e1", "00", "\"\"", "99999999999999999999"));
                case "tripDuration", "googleDistance", "googleDuration" -> integer(List.of("0", "849", "15309", "-1",
                        "1.5", "-1e30", "9223372036854775807", "999999999999999999", "1e18", "0.0", "-0",
                        Long.toString(random.nextLong())));
                case "pickupDate", "dropoffDate" -> date();
                case "storeAndFwdFlag" -> !chance(edgeRate) ? pick(List.of("\"N\"", "\"Y\""))
                        : pick(List.of("\"X\"", "\"yes\"", "\"\"", "null", "false", "1"));
                default -> decimal(name);
            };
        }

        private String integer(List<String> edgeCases) {
            String text = !chance(edgeRate) ? Integer.toString(random.nextInt(10)) : pick(edgeCases);
            return text.startsWith("\"") || chance(0.6) ? text : quote(text);
        }

        private String date() {
            LocalDateTime t = LocalDateTime.of(2015 + random.nextInt(3), 1, 1, 0, 0)
                    .plusSeconds(random.nextInt(60 * 60 * 24 * 366));
            String text = TripDates.format(t);
            if (chance(edgeRate)) {
                text = pick(List.of(text.substring(0, 16), text + ".5", text + "Z", text + "+01:00",
                        "2016-02-30T00:00:00", "2016-02-29T23:59:59", "2015-02-29T00:00:00", "2016-13-01T00:00:00",
                        "2016-01-01T24:00:00", "2016-01-01 00:00:00", "2016-01-01", "+2016-01-01T00:00:00",
                        "20160-01-01T00:00:00", "2016-0a-01T00:00:00", "2016-01-01T00:00:00.123456789",
                        "1/1/2016 0:14", "2016-1-01T00:00:00", "2016-01-01T00:14:0", "2016-01-01T00:00:-1"));
            }
            return quote(text);
        }

        private String decimal(String name) {
            double max = name.contains("Longitude") ? 180 : name.contains("Latitude") ? 90 : 1000;
            String text;
            if (!chance(edgeRate)) {
                double v = decimal(name.equals("gcDistance") ? 0 : -max, max, random.nextInt(12));
                text = chance(0.7) ? Double.toString(v) : !chance(edgeRate)
                        ? new BigDecimal(Double.toString(v)).toPlainString() : new BigDecimal(v).toPlainString();
            } else {
                text = pick(List.of("-0.0", "-0", "0", "181", "-180", "90.0001", "1e-7", "1.5E3", "4.9E-324",
                        "1.7976931348623157E308", "1e400", "0.1234567890123456789", "123456789012345678",
                        "1234567890123456789", "9007199254740993", "9007199254740993.0", "0.9007199254740993",
                        "1e22", "1e23", "1.5e-22", "1.5e-23", "00.5", "-.5", "5.", "1e", "1e+", "1e-05", "1E+2",
                        "-73.98174286", "40.71915817", "7.928829612", "1e99999", "0e0", "NaN", "Infinity",
                        "-0.000", "12.3456789012345678"));
            }
            return text.startsWith("\"") || chance(0.6) ? text : quote(text);
        }

        private String unknownValue() {
            return pick(List.of("1", "-2.5e3", "\"text\"", "true", "false", "null", "{}", "[1,2]", "{\"id\":\"x\"}",
                    "\"esc\\n\"", "\"caf\u00e9\"", "01", "1.", "nul", "truex", "0.12345678901234567890123",
                    "1e99999", "-", "\"\"", "1" + "0".repeat(40)));
        }

        private String field(String name, String value) {
            return quote(name) + blank() + ":" + blank() + value;
        }

        private static String quote(String s) {
            return "\"" + s + "\"";
        }

        private byte[] object(List<String> fields) {
            StringBuilder json = new StringBuilder(blank()).append('{').append(blank());
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    json.append(blank()).append(',').append(blank());
                }
                json.append(fields.get(i));
            }
            json.append(blank()).append('}').append(blank());
            return json.toString().getBytes(StandardCharsets.UTF_8);
        }

        private String blank() {
            if (chance(0.8)) {
                return "";
            }
            if (oddBlanks && chance(0.1)) {
                return pick(List.of("\u000b", "\u00a0", "\f", "\u0000"));
            }
            return pick(List.of(" ", "  ", "\n", "\t", "\r\n", " \n\t"));
        }
    }
}
