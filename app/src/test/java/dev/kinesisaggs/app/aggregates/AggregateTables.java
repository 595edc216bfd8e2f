package dev.kinesisaggs.app.aggregates;

import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Backoff.Jitter;
import dev.kinesisaggs.core.retry.Sleeper;
import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowTotals;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.BatchPutter;
import dev.kinesisaggs.function.storage.CallTimeouts;
import dev.kinesisaggs.function.storage.PartWriter;
import dev.kinesisaggs.function.tables.AggregateItems;
import dev.kinesisaggs.function.tables.Tables;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The tables as the function module defines them, filled by the tests: with the function's own
 * writer, or item by item where a test needs an item the lab's way (no distance or duration).
 */
public final class AggregateTables {

    private AggregateTables() {
    }

    /** A table name no other test of the run uses: the emulators are shared by all test classes. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static void createAggregates(DynamoDbClient dynamo, String table) {
        dynamo.createTable(Tables.aggregatesTable(table));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    /** A trips table: another key than the aggregates table's. */
    public static void createTrips(DynamoDbClient dynamo, String table) {
        dynamo.createTable(Tables.tripsTable(table));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    public static void createRejects(DynamoDbClient dynamo, String table) {
        dynamo.createTable(Tables.rejectsTable(table));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    /**
     * Adds a shard's complete run of a window, of one part, with the function's own writer: the items are then exactly
     * what the pipeline writes, and parts of several shards add up. Each vendor's part is written as a shard of its
     * own ({@code shardId/vendorId}), so that several calls for one window and shard add up too.
     */
    public static void addPart(DynamoDbClient dynamo, String table, String shardId, WindowAggregate w) {
        addPart(dynamo, table, shardId, w, true);
    }

    /**
     * Adds the first part of a shard's run that has not ended: a window in progress, or whose final invoke was given
     * up. Readers do not count it.
     */
    public static void addUnfinishedPart(DynamoDbClient dynamo, String table, String shardId, WindowAggregate w) {
        addPart(dynamo, table, shardId, w, false);
    }

    private static void addPart(DynamoDbClient dynamo, String table, String shardId, WindowAggregate w, boolean endsRun) {
        PartWriter writer = partWriter(dynamo, table);
        long micros = w.distance().orElse(BigDecimal.ZERO).movePointRight(6).longValueExact();
        WindowTotals totals = new WindowTotals(Map.of(Math.toIntExact(w.vendorId()),
                new VendorTotals(w.passengers(), w.trips(), micros, w.duration().map(BigDecimal::longValueExact).orElse(0L))));
        String seq = Long.toString(49_650_000_000_000L + w.windowStart().getEpochSecond());
        AggregateItems.PartPlace place = new AggregateItems.PartPlace(w.windowStart().toString(), w.windowEnd().toString(),
                shardId + "/" + w.vendorId());
        writer.open(place, "run-" + seq, seq, RetryBudget.unbounded(Clock.systemUTC()));
        writer.write(place, new ClosedPart("run-" + seq, seq, 1, 0, 0, seq, seq, endsRun, totals), RetryBudget.unbounded(Clock.systemUTC()));
    }

    /**
     * Adds a complete run of one part to a shard's window from {@code start} to {@code end}: vendor 1's sums, over the
     * {@code records} Kinesis records numbered on from {@code firstRecord}.
     */
    public static void addRun(DynamoDbClient dynamo, String table, String shardId, Instant start, Instant end, String runId,
                              long firstRecord, long records, long passengers, long trips) {
        PartWriter writer = partWriter(dynamo, table);
        String first = Long.toString(firstRecord);
        addOpening(dynamo, table, shardId, start, end, runId, firstRecord);
        writer.write(new AggregateItems.PartPlace(start.toString(), end.toString(), shardId),
                new ClosedPart(runId, first, records, 0, 0, first, Long.toString(firstRecord + records - 1), true,
                        new WindowTotals(Map.of(1, new VendorTotals(passengers, trips, 0, 0)))),
                RetryBudget.unbounded(Clock.systemUTC()));
    }

    /**
     * Adds the opening of a shard's run of a window from {@code start} to {@code end} that begins at {@code firstRecord}:
     * alone, a run whose final invoke was given up before it wrote a part (or one in progress).
     */
    public static void addOpening(DynamoDbClient dynamo, String table, String shardId, Instant start, Instant end, String runId,
                                  long firstRecord) {
        partWriter(dynamo, table).open(new AggregateItems.PartPlace(start.toString(), end.toString(), shardId), runId,
                Long.toString(firstRecord), RetryBudget.unbounded(Clock.systemUTC()));
    }

    /** The function's own part writer, with short backoffs. */
    private static PartWriter partWriter(DynamoDbClient dynamo, String table) {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(200), Jitter.FULL);
        Random jitter = new Random(7);
        PartWriter writer = new PartWriter(dynamo, table,
                new BatchPutter(dynamo, table, Tables.VENDOR_ID, backoff, jitter, Sleeper.system(), CallTimeouts.defaults(), null),
                backoff, jitter, Sleeper.system(), CallTimeouts.defaults());
        return writer;
    }

    /**
     * Puts one aggregate item of the previous format (the window's total under its bare start, the part ids in
     * {@code parts}), which the readers still read; distance and duration only when the window has them.
     */
    public static void put(DynamoDbClient dynamo, String table, WindowAggregate w) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("vendorId", AttributeValue.fromN(Long.toString(w.vendorId())));
        item.put("windowStart", AttributeValue.fromS(w.windowStart().toString()));
        item.put("windowEnd", AttributeValue.fromS(w.windowEnd().toString()));
        item.put("passenger", AttributeValue.fromN(Long.toString(w.passengers())));
        item.put("trips", AttributeValue.fromN(Long.toString(w.trips())));
        w.distance().map(BigDecimal::toPlainString).ifPresent(d -> item.put("distance", AttributeValue.fromN(d)));
        w.duration().map(BigDecimal::toPlainString).ifPresent(d -> item.put("duration", AttributeValue.fromN(d)));
        // the ids of the shard-window parts already added (the previous format): stored, never displayed
        item.put("parts", AttributeValue.fromSs(List.of("shardId-000000000000:49650000000000000000000000000"
                + w.windowStart().getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    public static void putReject(DynamoDbClient dynamo, String table, String recordId, String reason) {
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                Tables.RECORD_ID, AttributeValue.fromS(recordId),
                "reason", AttributeValue.fromS(reason),
                "field", AttributeValue.fromS("passengerCount"),
                "detail", AttributeValue.fromS("test record"),
                "arrivalTime", AttributeValue.fromS("2016-01-01T00:00:01Z"))));
    }
}
