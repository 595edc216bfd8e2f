package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowRun;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Many keys in one window, against dynalite: a window of three parts' worth of distinct vendors is written part by part
 * as it fills ({@link WindowRun#MAX_PART_VENDORS} vendors a part), so its final invoke writes one part at most and the
 * state stays far under Lambda's 1 MB whatever the number of vendors (the state holds the open part only, so more
 * vendors change only the time: 100,000 took 59 s of the suite); and a final invoke that fails in the middle of a large part is continued by its retry,
 * which writes only the vendor items that are not there yet. The trips table is off here: the point is the aggregates.
 */
@ExtendWith(LocalAwsExtension.class)
class ManyVendorsIT {

    private static final AtomicInteger TABLE_SET = new AtomicInteger();
    private static final String SHARD = "shardId-000000000000";
    private static final String START = "2020-12-09T07:04:00Z";
    private static final String END = "2020-12-09T07:04:30Z";
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:05Z");

    private final Clock clock = Clock.systemUTC();
    private final DynamoDbFaults faults = new DynamoDbFaults();
    private DynamoDbClient dynamo;
    private DynamoDbClient faulty;
    private TableNames tables;
    private TripWindowHandler handler;

    @BeforeEach
    void createTablesAndHandler(LocalAwsClients clients, DynamoDbClient dynamo) {
        this.dynamo = dynamo;
        tables = new TableNames("manyVendors" + TABLE_SET.incrementAndGet(), null, null);
        Tables.createIfMissing(dynamo, tables);
        faulty = clients.newDynamoDbClient(DynamoDbClients.overrides().toBuilder().addExecutionInterceptor(faults).build());
        handler = new TripWindowHandler(faulty, new FunctionConfig(tables, null, "many", Duration.ofSeconds(1)), clock);
    }

    @AfterEach
    void closeClient() {
        faulty.close();
    }

    /** Vendor v's trip: v % 7 passengers. */
    private static List<Rec> vendors(int from, int to) {
        List<Rec> records = new ArrayList<>(to - from);
        for (int v = from; v < to; v++) {
            records.add(new Rec(WindowEvents.seq("0", v), "t" + v, ARRIVAL, TripRecords.trip("t" + v, v, v % 7)));
        }
        return records;
    }

    private TimeWindowEventResponse invoke(Map<String, String> state, boolean last, List<Rec> records, Duration timeLeft) {
        return handler.handleRequest(WindowEvents.event(SHARD, START, END, state, last, false, records),
                new TestContext(clock, timeLeft, UUID.randomUUID().toString()));
    }

    @Test
    void aWindowOfManyVendorsIsWrittenPartByPartAndItsFinalInvokeWritesOnePartAtMost() {
        int vendors = 3 * WindowRun.MAX_PART_VENDORS - 1_000; // two whole parts on the way, the third at the final invoke
        Map<String, String> state = Map.of();
        int largestState = 0;
        for (int from = 1; from <= vendors; from += 2_000) {
            state = invoke(state, false, vendors(from, Math.min(vendors + 1, from + 2_000)), Duration.ofSeconds(60)).getState();
            largestState = Math.max(largestState, state.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum());
        }
        int writesBefore = faults.calls("BatchWriteItem");
        long started = System.nanoTime();
        TimeWindowEventResponse last = invoke(state, true, List.of(), Duration.ofSeconds(60));
        Duration finalInvoke = Duration.ofNanos(System.nanoTime() - started);

        assertThat(last.getState()).isEmpty();
        assertThat(largestState).as("the state's characters: far under Lambda's 1 MB").isLessThan(400_000);
        assertThat(faults.calls("BatchWriteItem") - writesBefore).as("the final invoke's writes: one part at most")
                .isLessThanOrEqualTo(WindowRun.MAX_PART_VENDORS / 25);
        Map<Long, VendorTotals> window = AggregateTable.read(dynamo, tables.aggregates()).window(START);
        assertThat(window).hasSize(vendors);
        Map<Long, VendorTotals> expected = new HashMap<>();
        for (long v = 1; v <= vendors; v++) {
            expected.put(v, new VendorTotals(v % 7, 1, 1_500_000, 100));
        }
        assertThat(window).isEqualTo(expected);
        System.out.printf("%,d vendors: final invoke %d ms, largest state %,d characters%n", vendors, finalInvoke.toMillis(), largestState);
    }

    @Test
    void aFinalInvokeFailedInTheMiddleOfALargePartIsContinuedByItsRetry() {
        int vendors = 4_000;
        Map<String, String> state = invoke(Map.of(), false, vendors(1, vendors + 1), Duration.ofSeconds(60)).getState();
        // the vendor items of the upper half cannot be written: the final invoke runs out of time and fails
        faults.throttleWritesWhere(item -> item.containsKey("vendorId") && Long.parseLong(item.get("vendorId").n()) > vendors / 2);
        Map<String, String> before = state;
        // (5 s, 4 s of it for writing: under a loaded machine 3 s once left no time for a single vendor item)
        assertThatThrownBy(() -> invoke(before, true, List.of(), Duration.ofMillis(5_000))).isInstanceOf(StorageException.class);
        assertThat(AggregateTable.read(dynamo, tables.aggregates()).window(START)).as("nothing counted while the part is not whole")
                .isEmpty();

        // how far the failed attempt got: all of the lower half on a quiet machine, less under load (its 4 s run out)
        long stored = 0;
        for (var page : dynamo.scanPaginator(b -> b.tableName(tables.aggregates()).consistentRead(true))) {
            stored += page.items().stream().filter(i -> {
                long v = Long.parseLong(i.get("vendorId").n());
                return v >= 1 && v <= vendors;
            }).count();
        }
        assertThat(stored).as("vendor items the failed attempt stored").isPositive().isLessThanOrEqualTo(vendors / 2);

        // Lambda retries the final invoke with the same state: it writes what is missing, not the whole part again
        faults.clear();
        int writesBefore = faults.calls("BatchWriteItem");
        assertThat(invoke(state, true, List.of(), Duration.ofSeconds(60)).getState()).isEmpty();
        int retryWrites = faults.calls("BatchWriteItem") - writesBefore;

        // the missing items 25 to a call, and a few more for the part's marker and any items left unprocessed
        long missingCalls = (vendors - stored + 24) / 25;
        assertThat(retryWrites).as("BatchWriteItem calls of the retry, %d vendor items of %d stored before; the whole part takes %d",
                stored, vendors, vendors / 25).isLessThanOrEqualTo((int) missingCalls + 3).isLessThan(vendors / 25);
        assertThat(faults.calls("BatchGetItem")).as("it read which items were there").isPositive();
        Map<Long, VendorTotals> window = AggregateTable.read(dynamo, tables.aggregates()).window(START);
        assertThat(window).hasSize(vendors);
        assertThat(window.values().stream().mapToLong(VendorTotals::trips).sum()).isEqualTo(vendors);
    }

    /**
     * DynamoDB may leave keys of a BatchGetItem unprocessed (a throttled partition, more than 16 MB in the answer), and AWS
     * asks callers to back off before asking for them again. A retried final invoke reading which vendor items are there
     * gets through a few such answers; when they go on, it fails within its time after a few calls, not in a hot loop.
     */
    @Test
    void keysLeftUnprocessedAreAskedForAgainAfterABackoffAndOnlyWithinTheInvocationsTime() {
        int vendors = 1_000;
        Map<String, String> state = invoke(Map.of(), false, vendors(1, vendors + 1), Duration.ofSeconds(60)).getState();
        faults.throttleWritesWhere(item -> item.containsKey("vendorId") && Long.parseLong(item.get("vendorId").n()) > vendors / 2);
        assertThatThrownBy(() -> invoke(state, true, List.of(), Duration.ofMillis(3_000))).isInstanceOf(StorageException.class);
        faults.clear();

        faults.leaveKeysUnprocessed(Integer.MAX_VALUE);
        int readsBefore = faults.calls("BatchGetItem");
        // 6 s, of which 5 s to spend: room for the marker's read on a loaded machine, and for about ten backoffs
        // whether the budget ran out in a backoff or in the last call, the read is what did not succeed
        assertThatThrownBy(() -> invoke(state, true, List.of(), Duration.ofSeconds(6))).isInstanceOf(StorageException.class)
                .hasMessageContaining("reading which items of part");
        assertThat(faults.calls("BatchGetItem") - readsBefore).as("BatchGetItem calls in the 5 s the invocation had").isLessThan(40);
        assertThat(AggregateTable.read(dynamo, tables.aggregates()).window(START)).as("nothing counted while the part is not whole")
                .isEmpty();

        faults.clear();
        faults.leaveKeysUnprocessed(5);
        assertThat(invoke(state, true, List.of(), Duration.ofSeconds(60)).getState()).isEmpty();
        Map<Long, VendorTotals> window = AggregateTable.read(dynamo, tables.aggregates()).window(START);
        assertThat(window).hasSize(vendors);
        assertThat(window.values().stream().mapToLong(VendorTotals::trips).sum()).isEqualTo(vendors);
    }
}
