package dev.kinesisaggs.app.aggregates;

import dev.kinesisaggs.function.retry.Backoff;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.retry.Sleeper;
import dev.kinesisaggs.function.storage.AggregatesWriter;
import dev.kinesisaggs.function.storage.CallTimeouts;
import dev.kinesisaggs.function.storage.Tables;
import dev.kinesisaggs.function.storage.VendorSums;
import dev.kinesisaggs.function.storage.WindowPart;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
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

    public static void createRejects(DynamoDbClient dynamo, String table) {
        dynamo.createTable(Tables.rejectsTable(table));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    /**
     * Adds one shard's part of a window with the function's own writer (conditional ADD, parts set):
     * the items are then exactly what the pipeline writes, and parts of several shards add up.
     */
    public static void addPart(DynamoDbClient dynamo, String table, String shardId, WindowAggregate w) {
        AggregatesWriter writer = new AggregatesWriter(dynamo, table,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(200), new Random(7)), Sleeper.threadSleep(),
                CallTimeouts.defaults());
        String partId = shardId + ":" + (49_650_000_000_000L + w.windowStart().getEpochSecond());
        writer.write(new WindowPart(w.windowStart().toString(), w.windowEnd().toString(), partId,
                        List.of(new VendorSums(Math.toIntExact(w.vendorId()), w.passengers(), w.trips(),
                                w.distance().orElse(BigDecimal.ZERO), w.duration().map(BigDecimal::longValueExact).orElse(0L)))),
                RetryBudget.unbounded(Clock.systemUTC()));
    }

    /** Puts one aggregate item with the real attribute names; distance and duration only when the window has them. */
    public static void put(DynamoDbClient dynamo, String table, WindowAggregate w) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("vendorId", AttributeValue.fromN(Long.toString(w.vendorId())));
        item.put("windowStart", AttributeValue.fromS(w.windowStart().toString()));
        item.put("windowEnd", AttributeValue.fromS(w.windowEnd().toString()));
        item.put("passenger", AttributeValue.fromN(Long.toString(w.passengers())));
        item.put("trips", AttributeValue.fromN(Long.toString(w.trips())));
        w.distance().map(BigDecimal::toPlainString).ifPresent(d -> item.put("distance", AttributeValue.fromN(d)));
        w.duration().map(BigDecimal::toPlainString).ifPresent(d -> item.put("duration", AttributeValue.fromN(d)));
        // the ids of the shard-window parts already added (core.window.WindowPartId): stored, never displayed
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
