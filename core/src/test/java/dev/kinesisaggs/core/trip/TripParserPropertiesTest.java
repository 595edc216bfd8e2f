package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

class TripParserPropertiesTest {

    private static final JsonFactory JSON = new JsonFactory();
    private final TripParser parser = new TripParser();

    /** Parses, and checks that the result is an answer, not a disguised crash. */
    private TripResult parseSafely(byte[] bytes) {
        TripResult r = parser.parse(bytes, 0, bytes.length);
        assertThat(r).isNotNull();
        if (r instanceof Rejection rejection) {
            assertThat(rejection.detail()).doesNotStartWith(TripParser.UNEXPECTED);
            assertThat(rejection.reason()).isNotEqualTo(RejectReason.BAD_AGGREGATE);
        }
        return r;
    }

    @Property(tries = 2000)
    @Label("never throws on random bytes")
    void never_throws_on_random_bytes(@ForAll @Size(max = 600) byte[] bytes) {
        parseSafely(bytes);
    }

    @Property(tries = 1000)
    @Label("never throws on random mutations of a valid record")
    void never_throws_on_mutations_of_valid_records(@ForAll("mutatedRecords") byte[] bytes) {
        parseSafely(bytes);
    }

    @Property(tries = 2000)
    @Label("valid JSON is never malformed; only an object can be clean")
    void random_json_values_get_a_reason_that_fits(@ForAll("jsonDocuments") Object document) throws IOException {
        byte[] bytes = write(document);
        TripResult r = parseSafely(bytes);
        if (document instanceof Map) {
            if (r instanceof Rejection rejection) {
                assertThat(rejection.reason()).isIn(RejectReason.MISSING_FIELD, RejectReason.WRONG_TYPE,
                        RejectReason.OUT_OF_RANGE);
                assertThat(rejection.field()).isNotNull();
            }
        } else {
            assertThat(r).isInstanceOf(Rejection.class);
            assertThat(((Rejection) r).reason()).isEqualTo(RejectReason.NOT_AN_OBJECT);
        }
    }

    @Property(tries = 500)
    @Label("TripJson then TripParser gives back the same trip")
    void json_round_trip(@ForAll("cleanTrips") Trip trip) {
        assertThat(parser.parse(TripJson.toBytes(trip))).isEqualTo(trip);
    }

    @Property(tries = 500)
    @Label("TripJson with every value as a string, then TripParser, gives back the same trip")
    void all_strings_round_trip(@ForAll("cleanTrips") Trip trip) {
        assertThat(parser.parse(TripJson.toBytesAllStrings(trip))).isEqualTo(trip);
    }

    @Property(tries = 500)
    @Label("parsing from an offset inside a larger buffer reads only the record")
    void offset_and_length_select_the_record(@ForAll("cleanTrips") Trip trip,
                                             @ForAll @Size(max = 50) byte[] before, @ForAll @Size(max = 50) byte[] after) {
        byte[] record = TripJson.toBytes(trip);
        byte[] buf = new byte[before.length + record.length + after.length];
        System.arraycopy(before, 0, buf, 0, before.length);
        System.arraycopy(record, 0, buf, before.length, record.length);
        System.arraycopy(after, 0, buf, before.length + record.length, after.length);
        assertThat(parser.parse(buf, before.length, record.length)).isEqualTo(trip);
    }

    @Property(tries = 500)
    @Label("unknown fields inserted anywhere, even with known names inside them, change nothing")
    void unknown_fields_change_nothing(@ForAll("cleanTrips") Trip trip, @ForAll("jsonDocuments") Object extra,
                                       @ForAll("fraction") double where, @ForAll boolean allStrings) throws IOException {
        String json = new String(allStrings ? TripJson.toBytesAllStrings(trip) : TripJson.toBytes(trip), StandardCharsets.UTF_8);
        List<Integer> commas = new ArrayList<>();
        for (int i = 0; i < json.length(); i++) {
            // a comma between fields is followed by a known field name; inside a string, the quote after a
            // comma would be the string's end, which a comma or a brace follows, never a name
            if (json.charAt(i) == ',') {
                for (String f : FIELDS) {
                    if (json.startsWith("\"" + f + "\":", i + 1)) {
                        commas.add(i);
                    }
                }
            }
        }
        int at = commas.get((int) (where * (commas.size() - 1)));
        String withExtra = json.substring(0, at + 1) + "\"extra\u00e9\":" + new String(write(extra), StandardCharsets.UTF_8)
                + "," + json.substring(at + 1);
        assertThat(parser.parse(withExtra.getBytes(StandardCharsets.UTF_8))).isEqualTo(trip);
    }

    @Provide
    Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Object> workshopOrderedObjects() {
        List<Arbitrary<Map.Entry<String, Object>>> fields = new ArrayList<>();
        for (String f : FIELDS) {
            fields.add(value(1).map(v -> Map.entry(f, v)).injectNull(0.3));
        }
        return Combinators.combine(fields).as(entries -> {
            Map<String, Object> m = new LinkedHashMap<>();
            entries.stream().filter(java.util.Objects::nonNull).forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        });
    }

    @Provide
    Arbitrary<Trip> cleanTrips() {
        return TripArbitraries.cleanTrips();
    }

    @Provide
    Arbitrary<byte[]> mutatedRecords() {
        Arbitrary<byte[]> valid = TripArbitraries.cleanTrips().flatMap(t -> Arbitraries.of(
                TripJson.toBytes(t), TripJson.toBytesAllStrings(t)));
        return valid.flatMap(bytes -> mutations().list().ofMinSize(1).ofMaxSize(4).map(ms -> {
            byte[] b = bytes;
            for (Mutation m : ms) {
                b = m.apply(b);
            }
            return b;
        }));
    }

    private record Mutation(int kind, double where, byte value) {
        byte[] apply(byte[] b) {
            int at = (int) (where * b.length);
            switch (kind) {
                case 0 -> { // flip a byte
                    if (b.length == 0) {
                        return b;
                    }
                    byte[] c = b.clone();
                    c[Math.min(at, b.length - 1)] ^= value == 0 ? 1 : value;
                    return c;
                }
                case 1 -> { // truncate
                    return java.util.Arrays.copyOf(b, at);
                }
                case 2 -> { // insert a byte
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = value;
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    return c;
                }
                default -> { // insert a JSON-meaningful character, which makes subtler damage
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    byte[] meaningful = "{}[]\",:-.e0\\ n".getBytes(StandardCharsets.US_ASCII);
                    c[at] = meaningful[Math.floorMod(value, meaningful.length)];
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    return c;
                }
            }
        }
    }

    private static Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.doubles().between(0, 1),
                Arbitraries.bytes()).as(Mutation::new);
    }

    @Provide
    Arbitrary<Object> jsonDocuments() {
        return Arbitraries.frequencyOf(Tuple.of(3, objects(3)), Tuple.of(2, workshopOrderedObjects()),
                Tuple.of(1, value(2)));
    }

    private static final List<String> FIELDS = List.of("id", "vendorId", "pickupDate", "dropoffDate",
            "passengerCount", "pickupLongitude", "pickupLatitude", "dropoffLongitude", "dropoffLatitude",
            "storeAndFwdFlag", "gcDistance", "tripDuration", "googleDistance", "googleDuration");

    private static Arbitrary<Object> objects(int depth) {
        Arbitrary<String> keys = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(FIELDS)), Tuple.of(1, Arbitraries.strings().ofMaxLength(8)));
        Arbitrary<Map.Entry<String, Object>> entries = Combinators.combine(keys, value(depth - 1)).as(Map::entry);
        return entries.list().ofMaxSize(16).map(list -> {
            Map<String, Object> m = new LinkedHashMap<>();
            list.forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        });
    }

    private static Arbitrary<Object> value(int depth) {
        List<Tuple.Tuple2<Integer, Arbitrary<?>>> choices = new ArrayList<>(List.of(
                Tuple.of(3, Arbitraries.longs()),
                Tuple.of(2, Arbitraries.integers().between(-3, 12)),
                Tuple.of(2, Arbitraries.doubles()),
                Tuple.of(1, Arbitraries.bigIntegers().between(
                        java.math.BigInteger.TEN.pow(25).negate(), java.math.BigInteger.TEN.pow(25))),
                Tuple.of(1, Arbitraries.of(Double.MAX_VALUE, -0.0, 1e-300, 2.0, 2.5)),
                Tuple.of(3, Arbitraries.strings().withChars("0123456789-.eE+ :TZ/").ofMaxLength(25)),
                Tuple.of(1, Arbitraries.of("2016-01-01T00:14:00", "2016-02-30T00:00:00", "Y", "N", "", "NaN",
                        "Infinity", "1e999", "-0", "2016-01-01T00:14:00+01:00[Europe/Paris]")),
                Tuple.of(2, Arbitraries.strings().all().excludeChars(surrogates()).ofMaxLength(20)),
                Tuple.of(1, Arbitraries.of(true, false)),
                Tuple.of(1, Arbitraries.just(JsonNull.NULL))));
        if (depth > 0) {
            choices.add(Tuple.of(1, objects(depth)));
            choices.add(Tuple.of(1, Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(4)));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Tuple.Tuple2<Integer, Arbitrary<?>>[] weighted = choices.toArray(new Tuple.Tuple2[0]);
        return Arbitraries.<Object>frequencyOf(weighted);
    }

    private enum JsonNull { NULL }

    private static char[] surrogates() {
        char[] s = new char[0xE000 - 0xD800];
        for (int i = 0; i < s.length; i++) {
            s[i] = (char) (0xD800 + i);
        }
        return s;
    }

    private static byte[] write(Object document) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, document);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long n) {
            g.writeNumber(n);
        } else if (v instanceof Integer n) {
            g.writeNumber(n);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof java.math.BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeNull();
        }
    }
}
