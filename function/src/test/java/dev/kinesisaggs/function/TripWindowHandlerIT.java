package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.function.storage.CallTimeouts;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import dev.kinesisaggs.function.storage.StorageException;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.function.testing.AggregateTable;
import dev.kinesisaggs.function.testing.DynamoDbFaults;
import dev.kinesisaggs.function.testing.TestContext;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents.Rec;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The handler against dynalite, driven by window events as Lambda serialises them, with DynamoDB's throttling and
 * refusals injected on top of the real calls. The aggregates are read as the command line reads them: one complete run
 * per shard and window.
 */
@ExtendWith(LocalAwsExtension.class)
@Execution(ExecutionMode.CONCURRENT) // each test has tables, a client and a handler of its own
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
        handler = new TripWindowHandler(faulty, new FunctionConfig(tables, null, "it", Duration.ofSeconds(1)), clock);
    }

    @AfterEach
    void closeClient() {
        faulty.close();
    }

    // ---- helpers ------------------------------------------------------------------------

    /** Plain records, one trip each: trip i has vendor 1 + i % 2 and 1 + i % 6 passengers, 1.5 miles, 100 s. */
    private static List<Rec> plainTrips(String salt, int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> new Rec(WindowEvents.seq(salt, i), "t" + salt + i, ARRIVAL, TripRecords.trip("t" + salt + i, 1 + i % 2, 1 + i % 6)))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** The sums of trips {@code from..to} (any salt), by vendor. */
    private static Map<Long, VendorTotals> sums(int from, int to) {
        Map<Long, VendorTotals> sums = new HashMap<>();
        IntStream.range(from, to).forEach(i -> sums.merge((long) (1 + i % 2), new VendorTotals(1 + i % 6, 1, 1_500_000, 100), VendorTotals::plus));
        return sums;
    }

    private static Map<Long, VendorTotals> plus(Map<Long, VendorTotals> a, Map<Long, VendorTotals> b) {
        Map<Long, VendorTotals> sum = new HashMap<>(a);
        b.forEach((v, t) -> sum.merge(v, t, VendorTotals::plus));
        return sum;
    }

    private TimeWindowEventResponse invoke(String shard, Map<String, String> state, boolean last, List<Rec> records) {
        return invoke(shard, state, last, records, Duration.ofSeconds(60));
    }

    private TimeWindowEventResponse invoke(String shard, Map<String, String> state, boolean last, List<Rec> records, Duration timeLeft) {
        KinesisTimeWindowEvent event = WindowEvents.event(shard, START, END, state, last, false, records);
        TimeWindowEventResponse response = handler.handleRequest(event, new TestContext(clock, timeLeft, UUID.randomUUID().toString()));
        assertThat(response.getState()).as("a tumbling-window response always has a state").isNotNull();
        assertThat(response.getBatchItemFailures()).as("never a partial answer inside a window").isEmpty();
        return response;
    }

    private AggregateTable table() {
        return AggregateTable.read(shared, tables.aggregates());
    }

    /** Every page: a Scan answers at most 1 MB of items at a time. */
    private int count(String table) {
        return shared.scanPaginator(r -> r.tableName(table).select(Select.COUNT)).stream().mapToInt(ScanResponse::count).sum();
    }

    // ---- tests -------------------------------------------------------------------------

    @Test
    void aFixtureEventAsLambdaSendsItIsStoredFoldedAndWrittenAtTheFinalInvoke() {
        TimeWindowEventResponse first = handler.handleRequest(WindowEvents.fromResource("/events/first-invoke-two-trips.json"),
                new TestContext(clock, Duration.ofSeconds(60)));
        // one vendor-2 trip of 5 passengers, one vendor-1 trip whose values all came as strings
        assertThat(first.getState()).containsEntry("2", "5,1,7928830,849").containsEntry("1", "1,1,885500,1294")
                .containsEntry("part", "0").containsEntry("v", "2");
        assertThat(count(tables.trips())).isEqualTo(2);

        // the final invoke's fixture carries a state of the previous version ("v":"1"), as a window open across a
        // deployment would: it closes as a run of one part
        KinesisTimeWindowEvent last = WindowEvents.fromResource("/events/final-invoke-no-records.json");
        assertThat(handler.handleRequest(last, new TestContext(clock, Duration.ofSeconds(60))).getState()).isEmpty();
        assertThat(table().window(START)).isEqualTo(Map.of(1L, new VendorTotals(1, 1, 885_500, 1294)));
        Map<String, AttributeValue> item = table().items().stream().filter(d -> d.vendorId() == 1).findFirst()
                .map(d -> shared.getItem(r -> r.tableName(tables.aggregates()).key(Map.of("vendorId", AttributeValue.fromN("1"),
                        "windowStart", AttributeValue.fromS(d.sortKey())))).item()).orElseThrow();
        assertThat(item.get("windowEnd").s()).isEqualTo(END);
        assertThat(item.get("window").s()).isEqualTo(START);
    }

    @Test
    void twoShardsPartsAddUpAndAReplayedFinalInvokeAddsNothing() {
        TimeWindowEventResponse a = invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 10));
        TimeWindowEventResponse b = invoke(SHARD_B, Map.of(), false, plainTrips("1", 10, 25));
        for (int replay = 0; replay < 3; replay++) {
            invoke(SHARD_A, a.getState(), true, List.of());
        }
        invoke(SHARD_B, b.getState(), true, List.of());
        assertThat(table().window(START)).isEqualTo(sums(0, 25));
        assertThat(table().incompleteShards()).isEmpty();
    }

    @Test
    void aReplayOfTheWindowWithOtherBatchBoundariesCountsEachRecordOnce() {
        List<Rec> all = plainTrips("0", 0, 30);
        // the first delivery: batches of 10, then the final invoke
        Map<String, String> state = Map.of();
        for (int from = 0; from < 30; from += 10) {
            state = invoke(SHARD_A, state, false, all.subList(from, from + 10)).getState();
        }
        invoke(SHARD_A, state, true, List.of());
        // a replay from the start (a lost checkpoint, TRIM_HORIZON): batches of 7, and the final invoke carries the last chunk
        state = Map.of();
        for (int from = 0; from < 28; from += 7) {
            state = invoke(SHARD_A, state, false, all.subList(from, Math.min(28, from + 7))).getState();
        }
        invoke(SHARD_A, state, true, all.subList(28, 30));
        assertThat(table().window(START)).isEqualTo(sums(0, 30));
        // and a run that was cut off in the middle (its final invoke never came) is not counted
        invoke(SHARD_A, Map.of(), false, all.subList(0, 5));
        assertThat(table().window(START)).isEqualTo(sums(0, 30));
    }

    @Test
    void aRunThatLostABatchIsReplacedByARedriveOfTheWholeWindow() {
        List<Rec> all = plainTrips("0", 0, 30);
        // the first delivery: the batch of records 10-19 failed until its retries ran out, and the mapping went on
        // with the state from before it (what Lambda does), so this complete run lacks those ten records
        Map<String, String> state = invoke(SHARD_A, Map.of(), false, all.subList(0, 10)).getState();
        state = invoke(SHARD_A, state, false, all.subList(20, 30)).getState();
        invoke(SHARD_A, state, true, List.of());
        assertThat(table().window(START)).isEqualTo(plus(sums(0, 10), sums(20, 30)));

        // the redrive reads the shard's whole window again: a run of more records, which is the one counted
        state = invoke(SHARD_A, Map.of(), false, all.subList(0, 15)).getState();
        state = invoke(SHARD_A, state, false, all.subList(15, 30)).getState();
        invoke(SHARD_A, state, true, List.of());
        assertThat(table().window(START)).isEqualTo(sums(0, 30));
        assertThat(count(tables.trips())).isEqualTo(30);
    }

    @Test
    void aTripPutTwiceByTheProducerIsCountedOnceAndKeptAsADuplicate() {
        List<Rec> onA = plainTrips("0", 0, 5);
        // the same trips t01 and t03 again, as a retrying producer puts them: on the other shard, under other sequence numbers
        List<Rec> onB = List.of(new Rec(WindowEvents.seq("1", 1), "t01", ARRIVAL, TripRecords.trip("t01", 2, 2)),
                new Rec(WindowEvents.seq("1", 3), "t03", ARRIVAL, TripRecords.trip("t03", 2, 4)));
        invoke(SHARD_A, invoke(SHARD_A, Map.of(), false, onA).getState(), true, List.of());
        TimeWindowEventResponse b = invoke(SHARD_B, Map.of(), false, onB);
        assertThat(b.getState()).doesNotContainKeys("1", "2");
        invoke(SHARD_B, b.getState(), true, List.of());
        assertThat(table().window(START)).isEqualTo(sums(0, 5));
        Map<String, AttributeValue> duplicate = shared.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of("recordId", AttributeValue.fromS(SHARD_B + ":" + WindowEvents.seq("1", 1))))).item();
        assertThat(duplicate.get("reasons").m()).containsOnlyKeys("DUPLICATE_TRIP");
        assertThat(duplicate.get("examples").l().get(0).m().get("detail").s())
                .isEqualTo("trip t01 is counted already, from " + SHARD_A + ":" + WindowEvents.seq("0", 1) + ":0");
        assertThat(duplicate.get("examples").l().get(0).m().get("payload").s())
                .isEqualTo(new String(TripRecords.trip("t01", 2, 2), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theClaimsOfTripsFoundStoredThatCouldNotAllBeReadAreReadAgainNotInsertedAgain() {
        // shard A stores 60 trips; shard B delivers the same 60 again (a retrying producer): each insert is refused as a
        // duplicate, and the consistent read of the claims is left half done by DynamoDB (unprocessed keys) three times
        invoke(SHARD_A, invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 60)).getState(), true, List.of());
        List<Rec> again = plainTrips("0", 0, 60).stream()
                .map(r -> new Rec(WindowEvents.seq("1", Integer.parseInt(r.partitionKey().substring(2))), r.partitionKey(), r.arrival(), r.data()))
                .toList();
        int insertsBefore = faults.insertedIds().size();
        faults.leaveKeysUnprocessed(3);
        TimeWindowEventResponse b = invoke(SHARD_B, Map.of(), false, again);
        invoke(SHARD_B, b.getState(), true, List.of());

        assertThat(faults.insertedIds().size() - insertsBefore).as("each trip inserted once, then only read").isEqualTo(60);
        assertThat(table().window(START)).isEqualTo(sums(0, 60));
        assertThat(count(tables.rejects())).as("the 60 duplicates, each naming its first occurrence").isEqualTo(60);
    }

    @Test
    void aClaimThatCannotBeReadForWantOfARightFailsTheInvocationSayingSo() {
        invoke(SHARD_A, invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 3)).getState(), true, List.of());
        faults.throttle("BatchGetItem", Integer.MAX_VALUE, "AccessDeniedException");
        assertThatThrownBy(() -> invoke(SHARD_B, Map.of(), false, List.of(
                new Rec(WindowEvents.seq("1", 1), "t01", ARRIVAL, TripRecords.trip("t01", 2, 2)))))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("reading trips' claims in table " + tables.trips() + " failed with AccessDeniedException: the function's role lacks the right");
    }

    @Test
    void aTripTwiceInOneBatchIsCountedByItsFirstOccurrence() {
        // each trip is followed, in the same batch, by a retry of the producer's with other values: the puts run
        // concurrently, and it is still the first occurrence that counts, every time
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(new Rec(WindowEvents.seq("0", 2L * i), "d" + i, ARRIVAL, TripRecords.trip("d" + i, 1, 1)));
            records.add(new Rec(WindowEvents.seq("0", 2L * i + 1), "d" + i, ARRIVAL, TripRecords.trip("d" + i, 2, 5)));
        }
        TimeWindowEventResponse first = invoke(SHARD_A, Map.of(), false, records);
        // and a retry of the same batch changes nothing
        invoke(SHARD_A, invoke(SHARD_A, Map.of(), false, records).getState(), true, List.of());

        assertThat(first.getState()).doesNotContainKey("2");
        assertThat(table().window(START)).isEqualTo(Map.of(1L, new VendorTotals(50, 50, 50 * 1_500_000L, 50 * 100L)));
        assertThat(count(tables.rejects())).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"})
    void whenWritesStayThrottledItBacksOffThenFailsTheInvocationAndItsRetryIsExact(String code) {
        faults.failPutsOf(key -> true, code);
        long started = System.nanoTime();
        // (4 s: under a loaded machine's CI the run's opening, written first, took most of 2.5 s once)
        assertThatThrownBy(() -> invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 60), Duration.ofMillis(4000)))
                .isInstanceOf(StorageException.class).hasMessageContaining("60 of 60 trips could not be stored")
                .hasMessageContaining("before the time ran out");
        // it spent its budget (4 s less the 1 s margin) retrying with backoff, instead of failing at the first refusal:
        // it stops only when the next wait and a call would not fit, and a wait is at most the backoff's cap (2 s), so
        // it retried for at least 3 s - 2 s - 50 ms (full jitter may draw a wait near the cap early: 1.38 s once), in
        // rounds of its 3 calls of 25, 25 and 10
        Duration atLeast = Duration.ofSeconds(3).minus(Duration.ofSeconds(2)).minus(CallTimeouts.defaults().minimumCall());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(atLeast);
        assertThat(faults.throttledCalls()).as("calls refused: more than one round of 3").isGreaterThan(3);

        // Lambda retries the same payload with the same (empty) state; now it goes through
        faults.clear();
        TimeWindowEventResponse retry = invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 60));
        invoke(SHARD_A, retry.getState(), true, List.of());
        assertThat(table().window(START)).isEqualTo(sums(0, 60));
        assertThat(count(tables.trips())).isEqualTo(60);
    }

    @Test
    void aLargeBatchThatRanOutOfTimeIsRetriedWithOnlyTheTripsItsFirstAttemptDidNotStore() {
        // 1,500 trips: above TripClaims.LOOK_FIRST_ABOVE; a tenth of them cannot be stored before the time runs out
        List<Rec> records = plainTrips("0", 0, 1_500);
        faults.failPutsOf(key -> key.endsWith("7"), "ProvisionedThroughputExceededException");
        assertThatThrownBy(() -> invoke(SHARD_A, Map.of(), false, records, Duration.ofMillis(8_000)))
                .isInstanceOf(StorageException.class).hasMessageContaining("of 1500 trips could not be stored");
        int stored = count(tables.trips());
        assertThat(stored).as("stored by the failed attempt").isBetween(1, 1_350);

        // Lambda retries the same batch with the same state: the retry finds those trips claimed by their own records
        // and puts the others only, instead of all 1,500 again (which a batch too large for the timeout would do for
        // ever, blocking its shard). It may find a few more than were counted: a put whose call ran out of time on the
        // client's side can still be written by the server after the count (as on AWS).
        faults.clear();
        int putsBefore = faults.calls("PutItem");
        int insertsBefore = faults.insertedIds().size();
        int foundBefore = faults.itemsFound(tables.trips());
        TimeWindowEventResponse retry = invoke(SHARD_A, Map.of(), false, records);
        int found = faults.itemsFound(tables.trips()) - foundBefore;
        assertThat(found).as("trips the retry found stored").isBetween(stored, 1_350);
        // (an insert tried again within the retry, after its call ran out of time, is one trip)
        assertThat(Set.copyOf(faults.insertedIds().subList(insertsBefore, faults.insertedIds().size())))
                .as("trips the retry inserted: those it did not find").hasSize(1_500 - found);
        assertThat(faults.calls("PutItem") - putsBefore).as("puts of the retry: its run's opening").isOne();
        invoke(SHARD_A, retry.getState(), true, List.of());
        assertThat(table().window(START)).isEqualTo(sums(0, 1_500));
        assertThat(count(tables.trips())).isEqualTo(1_500);

        // the same trips from other records (a producer's retry, on the other shard) are found claimed: duplicates,
        // not put, and not counted
        int putsThen = faults.calls("PutItem");
        int insertsThen = faults.insertedIds().size();
        List<Rec> again = plainTrips("0", 0, 1_500).stream()
                .map(r -> new Rec(WindowEvents.seq("1", Integer.parseInt(r.partitionKey().substring(2))), r.partitionKey(), r.arrival(), r.data()))
                .toList();
        TimeWindowEventResponse duplicates = invoke(SHARD_B, Map.of(), false, again);
        assertThat(faults.calls("PutItem") - putsThen).as("its run's opening only").isOne();
        assertThat(faults.insertedIds().size() - insertsThen).as("no trip inserted").isZero();
        invoke(SHARD_B, duplicates.getState(), true, List.of());
        assertThat(table().window(START)).isEqualTo(sums(0, 1_500));
        assertThat(count(tables.rejects())).as("one quarantine item per record of duplicates").isEqualTo(1_500);
    }

    @Test
    void aTripDynamoDbRefusesIsQuarantinedAndEveryOtherTripCounted() {
        faults.failPutsOf(key -> key.equals("t03"), "ValidationException");
        TimeWindowEventResponse first = invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 6));
        invoke(SHARD_A, first.getState(), true, List.of());
        Map<Long, VendorTotals> expected = sums(0, 6);
        expected.merge(2L, new VendorTotals(4, 1, 1_500_000, 100), (a, b) -> new VendorTotals(a.passengers() - b.passengers(),
                a.trips() - b.trips(), a.gcDistanceMicros() - b.gcDistanceMicros(), a.tripDurationSeconds() - b.tripDurationSeconds()));
        assertThat(table().window(START)).isEqualTo(expected);
        Map<String, AttributeValue> refused = shared.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of("recordId", AttributeValue.fromS(SHARD_A + ":" + WindowEvents.seq("0", 3))))).item();
        assertThat(refused.get("reasons").m()).containsOnlyKeys("STORAGE_REFUSED");
    }

    @Test
    void aBatchOfInsertsRefusedWholeIsSentAgainOneByOneAndOnlyTheRefusedTripIsQuarantined() {
        // DynamoDB does not document which refusals of an item come for its statement and which for the whole request:
        // here the whole BatchExecuteStatement is refused (ValidationException), then the first of its trips sent alone
        faults.throttle("BatchExecuteStatement", 2, "ValidationException");
        TimeWindowEventResponse first = invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 6));
        invoke(SHARD_A, first.getState(), true, List.of());
        Map<Long, VendorTotals> expected = sums(1, 6);
        assertThat(table().window(START)).isEqualTo(expected);
        assertThat(count(tables.trips())).isEqualTo(5);
        Map<String, AttributeValue> refused = shared.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of("recordId", AttributeValue.fromS(SHARD_A + ":" + WindowEvents.seq("0", 0))))).item();
        assertThat(refused.get("reasons").m()).containsOnlyKeys("STORAGE_REFUSED");
        assertThat(faults.calls("BatchExecuteStatement")).as("the batch, then each of its 6 trips alone").isEqualTo(7);
    }

    @Test
    void tenKindsOfUncleanRecordsAreQuarantinedOneItemPerKinesisRecordWithTheirReasonAndTheCleanOnesCounted() {
        List<Rec> records = new ArrayList<>(plainTrips("0", 0, 5));
        int i = 100;
        Map<String, String> expectedReasons = new java.util.LinkedHashMap<>();
        for (TripRecords.Unclean u : TripRecords.uncleanKinds().values()) {
            String seq = WindowEvents.seq("0", i++);
            records.add(new Rec(seq, "bad", ARRIVAL, u.data()));
            expectedReasons.put(SHARD_A + ":" + seq, u.reason());
        }
        String brokenSeq = WindowEvents.seq("0", i++);
        records.add(new Rec(brokenSeq, "bad", ARRIVAL, TripRecords.brokenAggregate()));
        expectedReasons.put(SHARD_A + ":" + brokenSeq, "BAD_AGGREGATE");
        records.addAll(plainTrips("0", 200, 205));

        TimeWindowEventResponse response = invoke(SHARD_A, Map.of(), false, records);
        assertThat(count(tables.trips())).isEqualTo(10);
        Map<String, String> quarantined = shared.scan(r -> r.tableName(tables.rejects())).items().stream()
                .collect(Collectors.toMap(item -> item.get("recordId").s(), item -> item.get("reason").s()));
        assertThat(quarantined).isEqualTo(expectedReasons);
        Map<String, AttributeValue> notUtf8 = shared.getItem(r -> r.tableName(tables.rejects())
                .key(Map.of("recordId", AttributeValue.fromS(SHARD_A + ":" + WindowEvents.seq("0", 102))))).item();
        assertThat(notUtf8.get("examples").l().get(0).m().get("payloadBytes").b().asByteArray()).as("raw bytes kept as they came")
                .isEqualTo(TripRecords.uncleanKinds().get("not utf-8").data());
        assertThat(notUtf8.get("arrivalTime").s()).isEqualTo(ARRIVAL.toString());

        // a retry of the same batch overwrites the quarantine instead of duplicating it
        invoke(SHARD_A, Map.of(), false, records);
        assertThat(count(tables.rejects())).isEqualTo(11);

        invoke(SHARD_A, response.getState(), true, List.of());
        assertThat(table().window(START).values().stream().mapToLong(VendorTotals::trips).sum()).isEqualTo(10);
    }

    @Test
    void aFinalInvokeWhoseAggregatesStayThrottledFailsAndLeavesTheWindowVisiblyIncompleteUntilItsRetry() {
        TimeWindowEventResponse a = invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 10));
        faults.throttle("BatchWriteItem", Integer.MAX_VALUE, "ProvisionedThroughputExceededException");
        assertThatThrownBy(() -> invoke(SHARD_A, a.getState(), true, List.of(), Duration.ofMillis(2500)))
                .isInstanceOf(StorageException.class);
        assertThat(table().window(START)).isEmpty();
        assertThat(table().incompleteShards()).isEqualTo(Map.of(START, Set.of(SHARD_A)));

        faults.clear();
        invoke(SHARD_A, a.getState(), true, List.of());
        assertThat(table().window(START)).isEqualTo(sums(0, 10));
        assertThat(table().incompleteShards()).isEmpty();
    }

    /**
     * Found by a probe: a shard's run of one part (the usual run) writes its part at the final invoke, so given up it
     * left nothing, and the window showed the other shard's sums as if they were the whole window.
     */
    @Test
    void aGivenUpFinalInvokeOfARunOfOnePartLeavesItsWindowVisiblyIncompleteBesideTheOtherShards() {
        TimeWindowEventResponse a = invoke(SHARD_A, Map.of(), false, plainTrips("0", 0, 10));
        TimeWindowEventResponse b = invoke(SHARD_B, Map.of(), false, plainTrips("1", 10, 25));
        invoke(SHARD_B, b.getState(), true, List.of());
        faults.throttle("BatchWriteItem", Integer.MAX_VALUE, "ProvisionedThroughputExceededException");
        for (int attempt = 0; attempt < 3; attempt++) { // every retry fails: the mapping gives the batch up
            assertThatThrownBy(() -> invoke(SHARD_A, a.getState(), true, List.of(), Duration.ofMillis(1500)))
                    .isInstanceOf(StorageException.class);
        }
        faults.clear();

        assertThat(table().window(START)).isEqualTo(sums(10, 25));
        assertThat(table().incompleteShards()).isEqualTo(Map.of(START, Set.of(SHARD_A)));
    }

    @Test
    void aMissingTableFailsTheInvocationWithAnErrorThatNamesIt() {
        TableNames missing = new TableNames(tables.aggregates(), "no-such-table", null);
        TripWindowHandler broken = new TripWindowHandler(faulty, new FunctionConfig(missing, null, "it", Duration.ofSeconds(1)), clock);
        KinesisTimeWindowEvent event = WindowEvents.event(SHARD_A, START, END, Map.of(), false, false, plainTrips("0", 0, 3));
        // DynamoDB's own message is "Requested resource not found", of which of the three tables it does not say
        // (here for each INSERT of the batch, as DynamoDB documents a statement's ResourceNotFound)
        assertThatThrownBy(() -> broken.handleRequest(event, new TestContext(clock, Duration.ofSeconds(60))))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith("storing trips in table no-such-table failed with ResourceNotFound: it does not exist");
    }

    @Test
    void aMissingQuarantineTableFailsTheInvocationWithAnErrorThatNamesIt() {
        TableNames missing = new TableNames(tables.aggregates(), tables.trips(), "no-such-quarantine");
        TripWindowHandler broken = new TripWindowHandler(faulty, new FunctionConfig(missing, null, "it", Duration.ofSeconds(1)), clock);
        List<Rec> records = new ArrayList<>(plainTrips("0", 0, 3));
        records.add(new Rec(WindowEvents.seq("0", 99), "bad", ARRIVAL, "not json".getBytes(StandardCharsets.UTF_8)));
        KinesisTimeWindowEvent event = WindowEvents.event(SHARD_A, START, END, Map.of(), false, false, records);
        assertThatThrownBy(() -> broken.handleRequest(event, new TestContext(clock, Duration.ofSeconds(60))))
                .isInstanceOf(StorageException.class).hasCauseInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("writing in table no-such-quarantine failed with ResourceNotFoundException: it does not exist");
    }
}
