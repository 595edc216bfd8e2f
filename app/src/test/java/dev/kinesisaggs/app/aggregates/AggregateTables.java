package dev.kinesisaggs.app.aggregates;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tables as the function module lays them out, created and filled by the tests themselves
 * (until the function module's table definitions are on this branch).
 */
public final class AggregateTables {

    private AggregateTables() {
    }

    /** A table name no other test of the run uses: the emulators are shared by all test classes. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static void createAggregates(DynamoDbClient dynamo, String table) {
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("vendorId").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("windowStart").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("vendorId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("windowStart").keyType(KeyType.RANGE).build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    public static void createRejects(DynamoDbClient dynamo, String table) {
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("recordId").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("recordId").keyType(KeyType.HASH).build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    /** Writes one aggregate item with the real attribute names, including the parts set that is not displayed. */
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
                "recordId", AttributeValue.fromS(recordId),
                "reason", AttributeValue.fromS(reason),
                "field", AttributeValue.fromS("passengerCount"),
                "detail", AttributeValue.fromS("test record"),
                "arrivalTime", AttributeValue.fromS("2016-01-01T00:00:01Z"))));
    }
}
