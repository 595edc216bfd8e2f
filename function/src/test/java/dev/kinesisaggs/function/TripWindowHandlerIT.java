package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.function.batch.BatchWriteFailedException;
import dev.kinesisaggs.function.storage.AggregateWriteException;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import dev.kinesisaggs.function.storage.TableNames;
import dev.kinesisaggs.function.storage.Tables;
import dev.kinesisaggs.function.testing.DynamoDbFaults;
import dev.kinesisaggs.function.testing.TestContext;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.function.testing.WindowEvents.Rec;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The handler against dynalite, driven by window events as Lambda serialises them, with
 * DynamoDB's throttling and partial failures injected on top of the real calls.
 */
@ExtendWith(LocalAwsExtension.class)
class TripWindowHandlerIT {

    private static final AtomicInteger TABLE_SET = new AtomicInteger();
    private static final String SHARD_A = "shardId-000000000000";
    private static final String SHARD_B = "shardId-000000000001";
    private static final String START = "2020-12-09T07:04:00Z";
    private static final String END = "2020-12-09T07:04:30Z";
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:05Z");

    private final Clock clock = Clock.systemUTC();
    private final DynamoDbFaults faults = new DynamoDbFaults();
    private DynamoDbClient shared;
    private DynamoDbClient faulty;
    private TableNames tables;
    private TripWindowHandler handler;

    @BeforeEach
    void createTablesAndHandler(LocalAwsClients clients, DynamoDbClient dynamo) {
        shared = dynamo;
        String prefix = "it" + TABLE_SET.incrementAndGet() + "-";
        tables = new TableNames(prefix + "kinesisAggs", prefix + "trips", prefix + "rejects");
        assertThat(Tables.createIfMissing(dynamo, tables)).hasSize(3);
        assertThat(Tables.createIfMissing(dynamo, tables)).as("second call creates nothing").isEmpty();
        faulty = clients.newDynamoDbClient(DynamoDbClients.overrides().toBuilder().addExecutionInterceptor(faults).build());
        handler = new TripWindowHandler(faulty, new FunctionConfig(tables, null, "it", Duration.ofSeconds(1), 4096), clock);
    }

    @AfterEach
    void closeClient() {
        faulty.close();
    }

    // ---- helpers ------------------------------------------------------------------------

    /** Plain records, one trip each: trip i has vendor 1 + i % 2 and 1 + i % 6 passengers. */
    private static List<Rec> plainTrips(String salt, int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> new Rec(WindowEvents.seq(salt, i), "t" + salt + i, ARRIVAL, TripRecords.trip("t" + salt + i, 1 + i % 2, 1 + i % 6)))
                .toList();
    }

    private static long passengers(int from, int to, int vendor) {
        return IntStream.range(from, to).filter(i -> 1 + i % 2 == vendor).mapToLong(i -> 1 + i % 6).sum();
    }

    private static long trips(int from, int to, int vendor) {
        return IntStream.range(from, to).filter(i -> 1 + i % 2 == vendor).count();
    }

    private TimeWindowEventResponse invoke(String shard, Map<String, String> state, boolean last, boolean early, List<Rec> records) {
        return invoke(shard, state, last, early, records, Duration.ofSeconds(60));
    }

    private TimeWindowEventResponse invoke(String shard, Map<String, String> state, boolean last, boolean early, List<Rec> records,
                                           Duration timeLeft) {
        KinesisTimeWindowEvent event = WindowEvents.event(shard, START, END, state, last, early, records);
        TimeWindowEventResponse response = handler.handleRequest(event, new TestContext(clock, timeLeft));
        assertThat(response.getState()).as("a tumbling-window response always has a state").isNotNull();
        return response;
    }

    private Map<String, AttributeValue> aggregate(int vendor) {
        return shared.getItem(r -> r.tableName(tables.aggregates()).consistentRead(true).key(Map.of(
                "vendorId", AttributeValue.fromN(Integer.toString(vendor)), "windowStart", AttributeValue.fromS(START)))).item();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return new BigDecimal(item.get(name).n()).longValueExact();
    }

    private int count(String table) {
        return shared.scan(r -> r.tableName(table)).count();
    }

    private static List<String> failures(TimeWindowEventResponse response) {
        return response.getBatchItemFailures().stream().map(TimeWindowEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    // ---- tests -------------------------------------------------------------------------

    @Test
    void aFixtureEventAsLambdaSendsItIsStoredAndFolded() {
        TimeWindowEventResponse first = handler.handleRequest(WindowEvents.fromResource("/events/first-invoke-two-trips.json"),
                new TestContext(clock, Duration.ofSeconds(60)));
        assertThat(failures(first)).isEmpty();
        // one vendor-2 trip of 5 passengers, one vendor-1 trip whose values all came as strings
        assertThat(first.getState()).containsEntry("2", "5,1,7928830,849").containsEntry("1", "1,1,885500,1294")
                .containsEntry("part", "shardId-000000000006:49590338271490256608559692538361571095921575989136588890");
        assertThat(count(tables.trips())).isEqualTo(2);

        KinesisTimeWindowEvent last = WindowEvents.fromResource("/events/final-invoke-no-records.json");
        assertThat(handler.handleRequest(last, new TestContext(clock, Duration.ofSeconds(60))).getState()).isEmpty();
        Map<String, AttributeValue> vendor1 = aggregate(1);
        assertThat(number(vendor1, "passenger")).isEqualTo(1);
        assertThat(number(vendor1, "trips")).isEqualTo(1);
        assertThat(vendor1.get("windowEnd").s()).isEqualTo(END);
        assertThat(new BigDecimal(vendor1.get("distance").n())).isEqualByComparingTo("0.8855");
        assertThat(vendor1.get("parts").ss()).containsExactly("shardId-000000000006:45");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})
    void whenEveryWriteIsThrottledItThrowsSoThatLambdaRetriesTheSamePayload(String code) {
        faults.throttle("BatchWriteItem", Integer.MAX_VALUE, code);
        assertThatThrownBy(() -> invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 0, 60)))
                .isInstanceOf(BatchWriteFailedException.class);
        assertThat(count(tables.trips())).isZero();
        assertThat(faults.throttledCalls()).as("each chunk of 25 tried once, no retry of an all-failed batch").isEqualTo(3);

        // Lambda retries the same payload with the same (empty) state; now it goes through
        faults.clear();
        TimeWindowEventResponse retry = invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 0, 60));
        assertThat(failures(retry)).isEmpty();
        invoke(SHARD_A, retry.getState(), true, false, List.of());
        assertThat(number(aggregate(1), "passenger")).isEqualTo(passengers(0, 60, 1));
        assertThat(number(aggregate(2), "trips")).isEqualTo(trips(0, 60, 2));
    }

    @Test
    void whenSomeWritesStillFailItReportsExactlyTheirRecordAndFoldsOnlyWhatCameBefore() {
        List<Rec> records = plainTrips("0", 0, 40);
        // t017 and t030 stay unprocessed for as long as the invocation has time
        faults.withhold(key -> key.equals("t017") || key.equals("t030"));
        // 5 s of retry budget (6 s left, 1 s margin): enough for retries even on a loaded machine
        TimeWindowEventResponse response = invoke(SHARD_A, Map.of(), false, false, records, Duration.ofSeconds(6));

        assertThat(failures(response)).containsExactly(WindowEvents.seq("0", 17));
        assertThat(count(tables.trips())).isEqualTo(38);
        assertThat(faults.withheldItems()).as("retried while time was left").isGreaterThan(2);
        long folded = passengers(0, 17, 1) + passengers(0, 17, 2);
        assertThat(response.getState().get("1").split(",")[0]).isEqualTo(Long.toString(passengers(0, 17, 1)));
        assertThat(Long.parseLong(response.getState().get("1").split(",")[1]) + Long.parseLong(response.getState().get("2").split(",")[1]))
                .isEqualTo(17);
        assertThat(folded).isPositive();

        // Lambda re-delivers from the reported record with the returned state
        faults.clear();
        TimeWindowEventResponse redelivered = invoke(SHARD_A, response.getState(), false, false, records.subList(17, 40));
        assertThat(failures(redelivered)).isEmpty();
        invoke(SHARD_A, redelivered.getState(), true, false, List.of());
        assertThat(count(tables.trips())).isEqualTo(40);
        assertThat(number(aggregate(1), "passenger")).isEqualTo(passengers(0, 40, 1));
        assertThat(number(aggregate(1), "trips") + number(aggregate(2), "trips")).isEqualTo(40);
    }

    @Test
    void aFailedTripInsideAKplAggregateReportsTheOuterRecord() {
        List<Rec> records = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            List<byte[]> users = new ArrayList<>();
            for (int u = 0; u < 10; u++) {
                int i = r * 10 + u;
                users.add(TripRecords.trip("k" + i, 1 + i % 2, 1 + i % 6));
            }
            records.add(new Rec(WindowEvents.seq("0", r), "agg" + r, ARRIVAL, TripRecords.aggregate(users)));
        }
        faults.withhold(key -> key.equals("k25"));
        TimeWindowEventResponse response = invoke(SHARD_A, Map.of(), false, false, records, Duration.ofMillis(2000));

        assertThat(failures(response)).containsExactly(WindowEvents.seq("0", 2));
        // the first two aggregates (trips 0..19) are folded, the third is re-delivered whole
        assertThat(response.getState().get("1")).startsWith(passengers(0, 20, 1) + "," + trips(0, 20, 1) + ",");
    }

    @Test
    void replayingTheFinalInvokeThreeTimesLeavesTheItemUnchanged() {
        TimeWindowEventResponse first = invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 0, 30));
        invoke(SHARD_A, first.getState(), true, false, List.of());
        Map<String, AttributeValue> vendor1 = aggregate(1);
        Map<String, AttributeValue> vendor2 = aggregate(2);
        assertThat(number(vendor1, "passenger")).isEqualTo(passengers(0, 30, 1));

        for (int replay = 0; replay < 3; replay++) {
            TimeWindowEventResponse again = invoke(SHARD_A, first.getState(), true, false, List.of());
            assertThat(failures(again)).isEmpty();
        }
        assertThat(aggregate(1)).isEqualTo(vendor1);
        assertThat(aggregate(2)).isEqualTo(vendor2);
    }

    @Test
    void theFinalInvokeFoldsTheRecordsItCarriesBeforeWritingAndAReplayOfItAddsNothing() {
        TimeWindowEventResponse first = invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 0, 10));
        for (int replay = 0; replay < 3; replay++) {
            invoke(SHARD_A, first.getState(), true, false, plainTrips("0", 10, 20));
        }
        assertThat(number(aggregate(1), "passenger")).isEqualTo(passengers(0, 20, 1));
        assertThat(number(aggregate(2), "trips")).isEqualTo(trips(0, 20, 2));
    }

    @Test
    void twoShardsPartsOfOneWindowAddUpInOneItem() {
        TimeWindowEventResponse a = invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 0, 30));
        TimeWindowEventResponse b = invoke(SHARD_B, Map.of(), false, false, plainTrips("1", 30, 70));
        invoke(SHARD_B, b.getState(), true, false, List.of());
        invoke(SHARD_A, a.getState(), true, false, List.of());
        invoke(SHARD_B, b.getState(), true, false, List.of()); // a replay of one shard's part changes nothing

        Map<String, AttributeValue> vendor2 = aggregate(2);
        assertThat(number(vendor2, "passenger")).isEqualTo(passengers(0, 70, 2));
        assertThat(number(vendor2, "trips")).isEqualTo(trips(0, 70, 2));
        assertThat(vendor2.get("parts").ss()).containsExactlyInAnyOrder(
                SHARD_A + ":" + WindowEvents.seq("0", 0), SHARD_B + ":" + WindowEvents.seq("1", 30));
    }

    @Test
    void aWindowTerminatedEarlyStillEndsWithTheWholeWindowsSums() {
        TimeWindowEventResponse one = invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 0, 10));
        TimeWindowEventResponse early = invoke(SHARD_A, one.getState(), false, true, plainTrips("0", 10, 20));
        assertThat(early.getState()).as("the next invocation continues with a fresh state").isEmpty();
        invoke(SHARD_A, one.getState(), false, true, plainTrips("0", 10, 20)); // replayed: no double count
        TimeWindowEventResponse three = invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 20, 30));
        invoke(SHARD_A, three.getState(), true, false, List.of());

        assertThat(number(aggregate(1), "passenger")).isEqualTo(passengers(0, 30, 1));
        assertThat(number(aggregate(1), "trips") + number(aggregate(2), "trips")).isEqualTo(30);
        assertThat(aggregate(1).get("parts").ss()).hasSize(2);
    }

    @Test
    void tenKindsOfUncleanRecordsAreQuarantinedWithTheirReasonAndTheCleanOnesStoredAndCounted() {
        List<Rec> records = new ArrayList<>(plainTrips("0", 0, 5));
        int i = 100;
        Map<String, String> expectedReasons = new java.util.LinkedHashMap<>();
        for (TripRecords.Unclean u : TripRecords.uncleanKinds().values()) {
            String seq = WindowEvents.seq("0", i++);
            records.add(new Rec(seq, "bad", ARRIVAL, u.data()));
            expectedReasons.put(SHARD_A + ":" + seq + ":0", u.reason());
        }
        String brokenSeq = WindowEvents.seq("0", i++);
        records.add(new Rec(brokenSeq, "bad", ARRIVAL, TripRecords.brokenAggregate()));
        expectedReasons.put(SHARD_A + ":" + brokenSeq + ":0", "BAD_AGGREGATE");
        records.addAll(plainTrips("0", 200, 205));

        TimeWindowEventResponse response = invoke(SHARD_A, Map.of(), false, false, records);
        assertThat(failures(response)).isEmpty();
        assertThat(count(tables.trips())).isEqualTo(10);
        Map<String, String> quarantined = shared.scan(r -> r.tableName(tables.rejects())).items().stream()
                .collect(Collectors.toMap(item -> item.get("recordId").s(), item -> item.get("reason").s()));
        assertThat(quarantined).isEqualTo(expectedReasons);
        Map<String, AttributeValue> notUtf8 = shared.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of("recordId", AttributeValue.fromS(SHARD_A + ":" + WindowEvents.seq("0", 102) + ":0")))).item();
        assertThat(notUtf8.get("payloadBytes").b().asByteArray()).as("raw bytes kept as they came")
                .isEqualTo(TripRecords.uncleanKinds().get("not utf-8").data());
        assertThat(notUtf8.get("arrivalTime").s()).isEqualTo(ARRIVAL.toString());

        // a retry of the same batch overwrites the quarantine instead of duplicating it
        invoke(SHARD_A, Map.of(), false, false, records);
        assertThat(count(tables.rejects())).isEqualTo(11);

        invoke(SHARD_A, response.getState(), true, false, List.of());
        assertThat(number(aggregate(1), "trips") + number(aggregate(2), "trips")).isEqualTo(10);
    }

    @Test
    void throttledAggregateWritesAreRetriedWithinTheTimeLeftThenThrown() {
        TimeWindowEventResponse first = invoke(SHARD_A, Map.of(), false, false, plainTrips("0", 0, 10));

        faults.throttle("UpdateItem", 2, "ThrottlingException");
        invoke(SHARD_A, first.getState(), true, false, List.of());
        assertThat(faults.throttledCalls()).isEqualTo(2);
        Map<String, AttributeValue> written = aggregate(1);
        assertThat(number(written, "passenger")).isEqualTo(passengers(0, 10, 1));

        faults.throttle("UpdateItem", Integer.MAX_VALUE, "ProvisionedThroughputExceededException");
        TimeWindowEventResponse second = invoke(SHARD_B, Map.of(), false, false, plainTrips("1", 10, 20));
        assertThatThrownBy(() -> invoke(SHARD_B, second.getState(), true, false, List.of(), Duration.ofMillis(2500)))
                .isInstanceOf(AggregateWriteException.class);
        assertThat(aggregate(1)).isEqualTo(written);

        faults.clear();
        invoke(SHARD_B, second.getState(), true, false, List.of());
        assertThat(number(aggregate(1), "passenger")).isEqualTo(passengers(0, 20, 1));
        assertThat(aggregate(1).get("parts").ss()).hasSize(2);
    }

    @Test
    void aMissingTableIsAnErrorNotARetry() {
        TableNames missing = new TableNames(tables.aggregates(), "no-such-table", null);
        TripWindowHandler broken = new TripWindowHandler(faulty, new FunctionConfig(missing, null, "it", Duration.ofSeconds(1), 4096), clock);
        KinesisTimeWindowEvent event = WindowEvents.event(SHARD_A, START, END, Map.of(), false, false, plainTrips("0", 0, 3));
        assertThatThrownBy(() -> broken.handleRequest(event, new TestContext(clock, Duration.ofSeconds(60))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(Set.of(faults.calls("BatchWriteItem"))).containsExactly(1);
    }
}
