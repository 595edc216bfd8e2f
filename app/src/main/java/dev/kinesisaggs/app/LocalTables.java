package dev.kinesisaggs.app;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The function's DynamoDB tables, created on the local emulator.
 *
 * <p>TO REPLACE: the function module owns these definitions (the same ones as its SAM
 * template); when it publishes them, this class should create the tables from there instead
 * of repeating them here.
 */
final class LocalTables {
    static final String AGGREGATES = "kinesisAggs";
    static final String TRIPS = "kinesisTrips";
    static final String REJECTS = "kinesisRejects";

    private LocalTables() {}

    static List<CreateTableRequest> definitions() {
        return List.of(
                table(AGGREGATES, key("vendorId", ScalarAttributeType.N), key("windowStart", ScalarAttributeType.S)),
                table(TRIPS, key("id", ScalarAttributeType.S), null),
                table(REJECTS, key("recordId", ScalarAttributeType.S), null));
    }

    /** Creates the tables that do not exist yet (with --data-dir they may be there from the last run). */
    static List<String> createMissing(DynamoDbClient dynamoDb) {
        List<String> existing = dynamoDb.listTablesPaginator().tableNames().stream().toList();
        for (CreateTableRequest table : definitions()) {
            if (!existing.contains(table.tableName())) {
                dynamoDb.createTable(table);
                dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table.tableName()));
            }
        }
        return definitions().stream().map(CreateTableRequest::tableName).toList();
    }

    private record Key(String name, ScalarAttributeType type) {}

    private static Key key(String name, ScalarAttributeType type) {
        return new Key(name, type);
    }

    private static CreateTableRequest table(String name, Key partition, Key sort) {
        CreateTableRequest.Builder table = CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST);
        if (sort == null) {
            return table.attributeDefinitions(attribute(partition))
                    .keySchema(element(partition, KeyType.HASH))
                    .build();
        }
        return table.attributeDefinitions(attribute(partition), attribute(sort))
                .keySchema(element(partition, KeyType.HASH), element(sort, KeyType.RANGE))
                .build();
    }

    private static AttributeDefinition attribute(Key key) {
        return AttributeDefinition.builder().attributeName(key.name()).attributeType(key.type()).build();
    }

    private static KeySchemaElement element(Key key, KeyType type) {
        return KeySchemaElement.builder().attributeName(key.name()).keyType(type).build();
    }
}
