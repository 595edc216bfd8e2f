package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.function.tables.RecordRejects;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.function.testing.AggregateTable;
import dev.kinesisaggs.function.testing.TestContext;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents.Rec;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's limits as input: values at and beyond each limit a trip can reach, through the handler, against dynalite
 * (which enforces DynamoDB's number, size and key rules). Whatever the value, the batch is never blocked: the clean
 * trip beside it is counted, and the probed trip is either stored with the value it was sent (the oracle: the JSON
 * text read as a decimal by {@link BigDecimal}, rounded to a double as the trip carries it) or quarantined with the
 * reason of our own rules, never refused by DynamoDB.
 */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbLimitsIT {

    private static final AtomicInteger TABLE_SET = new AtomicInteger();
    private static final String SHARD = "shardId-000000000000";
    private static final String START = "2020-12-09T07:04:00Z";
    private static final String END = "2020-12-09T07:04:30Z";
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:05Z");
    private static final ObjectMapper ORACLE = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Clock clock = Clock.systemUTC();
    private DynamoDbClient dynamo;
    private TableNames tables;
    private TripWindowHandler handler;

    @BeforeEach
    void createTablesAndHandler(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
        String prefix = "limits" + TABLE_SET.incrementAndGet() + "-";
        tables = new TableNames(prefix + "kinesisAggs", prefix + "trips", prefix + "rejects");
        Tables.createIfMissing(dynamo, tables);
        handler = new TripWindowHandler(dynamo, new FunctionConfig(tables, null, "limits", Duration.ofSeconds(1)), clock);
    }

    /** A field of the probed trip, the JSON text of its value, and whether the value must be stored or quarantined. */
    static Stream<Arguments> values() {
        return Stream.of(
                // DynamoDB's smallest magnitude, 1E-130, and beyond it (also the smallest double)
                stored("pickupLatitude", "1e-130"), stored("pickupLatitude", "-1e-130"), stored("gcDistance", "1e-130"),
                rejected("pickupLatitude", "9.9e-131"), rejected("pickupLatitude", "1e-200"), rejected("gcDistance", "1e-131"),
                rejected("dropoffLongitude", "-4.9e-324"), rejected("dropoffLatitude", "2.2250738585072014E-308"),
                // zero in its spellings; a literal that only a double's underflow makes zero is not zero, and below 1E-130
                stored("pickupLongitude", "0"), stored("pickupLongitude", "-0.0"), stored("gcDistance", "0e-500"),
                rejected("gcDistance", "1e-400"), rejected("passengerCount", "1e-400"),
                // DynamoDB's largest magnitude, 9.99...E+125, and beyond it: never plausible for a trip, so never stored
                rejected("gcDistance", "9.9999999999999999999999999999999999999e125"), rejected("gcDistance", "1e126"),
                rejected("gcDistance", "1e200"), rejected("gcDistance", "1.7976931348623157e308"), rejected("gcDistance", "1e400"),
                // 38 significant digits is DynamoDB's precision; a double keeps 17, so more digits are rounded, never refused
                stored("pickupLatitude", "40.718999999999999999999999999999999999"),
                stored("pickupLatitude", "40.7189999999999999999999999999999999999999999999999"),
                stored("gcDistance", "0.000000000000000000000000000000000000000012345678901234567"),
                // the plausibility bounds, at and beyond
                stored("gcDistance", "12500"), rejected("gcDistance", "12500.000000000002"),
                stored("pickupLatitude", "90"), rejected("pickupLatitude", "90.00000000000001"),
                stored("pickupLongitude", "-180"), rejected("pickupLongitude", "-180.00000000000003"),
                stored("tripDuration", "2678400"), rejected("tripDuration", "2678401"),
                rejected("tripDuration", "9223372036854775807"), rejected("tripDuration", "9223372036854775808"),
                rejected("tripDuration", "-1"),
                stored("googleDistance", "40075000"), rejected("googleDistance", "40075001"),
                stored("googleDuration", "2678400"), rejected("googleDuration", "99999999999999999999999999999999999999999"),
                stored("passengerCount", "9"), rejected("passengerCount", "10"),
                // the vendor id is the aggregates' partition key
                stored("vendorId", "2147483647"), rejected("vendorId", "2147483648"), rejected("vendorId", "0"),
                rejected("vendorId", "1e300"),
                // the trip id is the trips table's partition key (at most 2,048 bytes) and the stream's (256 characters)
                stored("id", quoted("x".repeat(256))), rejected("id", quoted("x".repeat(257))),
                stored("id", quoted("\u00e9".repeat(256))), stored("id", quoted("\uD83D\uDE95".repeat(256))),
                stored("id", quoted("\\u0000".repeat(256))), rejected("id", quoted("")), rejected("id", quoted("a\\ud800")),
                // empty strings and absent values: an empty optional field is absent, not an empty attribute
                stored("storeAndFwdFlag", quoted("")), rejected("storeAndFwdFlag", quoted(" ")),
                stored("dropoffDate", quoted("")), stored("gcDistance", "null"));
    }

    private static Arguments stored(String field, String json) {
        return Arguments.of(field, json, true);
    }

    private static Arguments rejected(String field, String json) {
        return Arguments.of(field, json, false);
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    @ParameterizedTest(name = "{0} = {1} stored: {2}")
    @MethodSource("values")
    void aValueIsStoredAsSentOrQuarantinedWithOurReasonAndNeverBlocksTheBatch(String field, String json, boolean stored) {
        String probe = with(TripRecords.json("probe", 2, 3), field, json);
        String probeId = field.equals("id") ? null : "probe";
        List<Rec> records = List.of(
                new Rec(WindowEvents.seq("0", 1), "clean", ARRIVAL, TripRecords.trip("clean", 1, 2)),
                new Rec(WindowEvents.seq("0", 2), "probe", ARRIVAL, probe.getBytes(StandardCharsets.UTF_8)));

        finalInvoke(records);

        VendorTotals clean = new VendorTotals(2, 1, 1_500_000, 100);
        Map<String, AttributeValue> quarantined = dynamo.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of(Tables.RECORD_ID, AttributeValue.fromS(SHARD + ":" + WindowEvents.seq("0", 2))))).item();
        int tripsStored = dynamo.scan(r -> r.tableName(tables.trips())).count();
        if (stored) {
            assertThat(quarantined).as("not quarantined").isEmpty();
            assertThat(tripsStored).isEqualTo(2);
            Map<String, AttributeValue> item = probeId == null
                    ? dynamo.scan(r -> r.tableName(tables.trips())).items().stream()
                            .filter(i -> !i.get(Tables.TRIP_ID).s().equals("clean")).findFirst().orElseThrow()
                    : dynamo.getItem(r -> r.tableName(tables.trips()).key(Map.of(Tables.TRIP_ID, AttributeValue.fromS(probeId)))).item();
            assertStoredAsSent(item, probe);
            assertThat(AggregateTable.read(dynamo, tables.aggregates()).window(START).get(1L)).isEqualTo(clean);
            JsonNode sent = readTree(probe);
            assertThat(AggregateTable.read(dynamo, tables.aggregates()).window(START).get(sent.get("vendorId").asLong()))
                    .extracting(VendorTotals::passengers, VendorTotals::trips).containsExactly(sent.get("passengerCount").asLong(), 1L);
        } else {
            assertThat(quarantined).as("quarantined").isNotEmpty();
            assertThat(quarantined.get("reasons").m()).as("by our rules, not by DynamoDB's refusal")
                    .doesNotContainKey("STORAGE_REFUSED").hasSize(1);
            assertThat(tripsStored).isEqualTo(1);
            assertThat(AggregateTable.read(dynamo, tables.aggregates()).window(START)).isEqualTo(Map.of(1L, clean));
        }
        assertThat(AggregateTable.read(dynamo, tables.aggregates()).incompleteShards()).isEmpty();
    }

    /**
     * Every field of the trip's JSON is in the item as the JSON says it, read by another parser (Jackson's tree, numbers
     * as decimals): numbers rounded to a double as the trip carries them, dates as date-times, text as it is; an empty
     * or null field is absent.
     */
    private static void assertStoredAsSent(Map<String, AttributeValue> item, String json) {
        JsonNode sent = readTree(json);
        int fields = 0;
        for (Map.Entry<String, JsonNode> f : sent.properties()) {
            String name = f.getKey();
            JsonNode value = f.getValue();
            AttributeValue stored = item.get(name);
            if (value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
                assertThat(stored).as(name + " absent").isNull();
            } else if (value.isNumber()) {
                double expected = value.decimalValue().doubleValue();
                assertThat(new BigDecimal(stored.n()).doubleValue()).as(name).isEqualTo(expected == 0 ? 0.0 : expected);
            } else if (name.endsWith("Date")) {
                assertThat(LocalDateTime.parse(stored.s())).as(name).isEqualTo(LocalDateTime.parse(value.asText()));
            } else {
                assertThat(stored.s()).as(name).isEqualTo(value.asText());
            }
            fields++;
        }
        assertThat(fields).isEqualTo(14);
    }

    private static JsonNode readTree(String json) {
        try {
            return ORACLE.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trip's JSON with {@code field} set to {@code json}. */
    private static String with(String trip, String field, String json) {
        Matcher m = Pattern.compile("\"" + field + "\":(\"[^\"]*\"|[^,}]+)").matcher(trip);
        assertThat(m.find()).as(field + " in the test trip").isTrue();
        return trip.substring(0, m.start()) + "\"" + field + "\":" + json + trip.substring(m.end());
    }

    private void finalInvoke(List<Rec> records) {
        TimeWindowEventResponse first = handler.handleRequest(WindowEvents.event(SHARD, START, END, Map.of(), false, false, records),
                new TestContext(clock, Duration.ofSeconds(60), UUID.randomUUID().toString()));
        TimeWindowEventResponse last = handler.handleRequest(WindowEvents.event(SHARD, START, END, first.getState(), true, false, List.of()),
                new TestContext(clock, Duration.ofSeconds(60), UUID.randomUUID().toString()));
        assertThat(last.getState()).isEmpty();
    }

    /**
     * A quarantine item's details quote the record, cut short; what DynamoDB does with a string holding half of a surrogate
     * pair is not documented, so none is ever sent: a cut falls between pairs, and a lone surrogate the record escaped in
     * its JSON is replaced. Checked on what dynalite stores, with an independent test for lone surrogates.
     */
    @Test
    void theQuarantinesDetailsAreAlwaysWholeTextWhereverACutFallsAndWhateverTheRecordEscaped() {
        String taxis = "\uD83D\uDE95".repeat(33); // a clean id; its detail is cut at 64 chars, inside the 31st pair
        byte[] trip = TripRecords.trip(taxis, 1, 2);
        String loneInFlag = with(TripRecords.json("lone", 2, 3), "storeAndFwdFlag", quoted("\\ud800"));
        List<Rec> records = List.of(
                new Rec(WindowEvents.seq("0", 1), "first", ARRIVAL, trip),
                new Rec(WindowEvents.seq("0", 2), "again", ARRIVAL, trip),
                new Rec(WindowEvents.seq("0", 3), "lone", ARRIVAL, loneInFlag.getBytes(StandardCharsets.UTF_8)));

        finalInvoke(records);

        String duplicate = detail(WindowEvents.seq("0", 2));
        assertThat(duplicate).contains("trip " + "\uD83D\uDE95".repeat(30) + "... is counted already");
        String flag = detail(WindowEvents.seq("0", 3));
        assertThat(flag).contains("storeAndFwdFlag \"\uFFFD\" is neither Y nor N");
        for (String detail : List.of(duplicate, flag)) {
            assertThat(detail.codePoints().filter(cp -> Character.isSurrogate((char) cp) && cp <= 0xFFFF).count())
                    .as("lone surrogates in %s", detail).isZero();
        }
    }

    private String detail(String sequenceNumber) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of(Tables.RECORD_ID, AttributeValue.fromS(SHARD + ":" + sequenceNumber)))).item();
        assertThat(item).as("the quarantine item of " + sequenceNumber).isNotEmpty();
        return item.get("examples").l().get(0).m().get("detail").s();
    }

    @Test
    void aMegabyteOfGarbageIsOneQuarantineItemFarUnderDynamoDbsItemSize() {
        byte[] garbage = new byte[1024 * 1024];
        new Random(11).nextBytes(garbage);
        List<Rec> records = List.of(new Rec(WindowEvents.seq("0", 1), "clean", ARRIVAL, TripRecords.trip("clean", 1, 2)),
                new Rec(WindowEvents.seq("0", 2), "garbage", ARRIVAL, garbage));

        finalInvoke(records);

        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of(Tables.RECORD_ID, AttributeValue.fromS(SHARD + ":" + WindowEvents.seq("0", 2))))).item();
        assertThat(item.get("recordBytes").n()).isEqualTo(Integer.toString(garbage.length));
        byte[] kept = item.get("examples").l().get(0).m().get("payloadBytes").b().asByteArray();
        assertThat(kept).hasSize(RecordRejects.EXAMPLE_PAYLOAD_CAP);
        assertThat(kept).isEqualTo(java.util.Arrays.copyOf(garbage, kept.length));
        assertThat(AggregateTable.read(dynamo, tables.aggregates()).window(START)).isEqualTo(Map.of(1L, new VendorTotals(2, 1, 1_500_000, 100)));
    }

    @Test
    void aKplAggregateOfAHundredThousandEmptyUserRecordsIsOneQuarantineItemThatCountsThem() {
        List<byte[]> empty = new ArrayList<>(Collections.nCopies(100_000, new byte[0]));
        byte[] aggregate = TripRecords.aggregate(empty, true);
        assertThat(aggregate.length).as("within Kinesis' 1 MB record").isLessThanOrEqualTo(1024 * 1024);
        List<Rec> records = List.of(new Rec(WindowEvents.seq("0", 1), "clean", ARRIVAL, TripRecords.trip("clean", 1, 2)),
                new Rec(WindowEvents.seq("0", 2), "pk", ARRIVAL, aggregate));

        finalInvoke(records);

        List<Map<String, AttributeValue>> items = dynamo.scan(r -> r.tableName(tables.rejects())).items();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("rejected").n()).isEqualTo("100000");
        assertThat(items.get(0).get("examples").l()).hasSize(RecordRejects.MAX_EXAMPLES);
        assertThat(AggregateTable.read(dynamo, tables.aggregates()).window(START)).isEqualTo(Map.of(1L, new VendorTotals(2, 1, 1_500_000, 100)));
    }
}
