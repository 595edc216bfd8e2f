package dev.kinesisaggs.esm.checkpoint;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Checkpoints in a DynamoDB table (the emulator locally, real DynamoDB on AWS), created on first
 * use: partition key {@code mappingId}, sort key {@code shardId}, attribute {@code checkpoint}
 * (a sequence number or {@code SHARD_END}). Window state is deliberately not stored: with
 * tumbling windows the mapping checkpoints only after a window's final invoke, so after a restart
 * the open window is re-read from the checkpoint with a fresh state, as AWS does after a failure.
 */
public final class DynamoDbCheckpointStore implements CheckpointStore {

    private static final Logger LOG = Logger.getLogger(DynamoDbCheckpointStore.class.getName());

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Clock clock;
    private volatile boolean tableReady;

    public DynamoDbCheckpointStore(DynamoDbClient dynamoDb, String tableName, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.clock = clock;
    }

    @Override
    public Optional<Checkpoint> load(String mappingId, String shardId) {
        ensureTable();
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true).key(key(mappingId, shardId))).item();
        if (item == null || !item.containsKey("checkpoint")) {
            return Optional.empty();
        }
        return Optional.of(Checkpoint.parse(item.get("checkpoint").s()));
    }

    @Override
    public void save(String mappingId, String shardId, Checkpoint checkpoint) {
        ensureTable();
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(mappingId, shardId));
        item.put("checkpoint", AttributeValue.fromS(checkpoint.stored()));
        item.put("updatedAt", AttributeValue.fromS(clock.instant().toString()));
        dynamoDb.putItem(b -> b.tableName(tableName).item(item));
    }

    private static Map<String, AttributeValue> key(String mappingId, String shardId) {
        return Map.of("mappingId", AttributeValue.fromS(mappingId), "shardId", AttributeValue.fromS(shardId));
    }

    /** Creates the table if it does not exist yet, and waits until it is active. */
    public synchronized void ensureTable() {
        if (tableReady) {
            return;
        }
        try {
            dynamoDb.describeTable(b -> b.tableName(tableName));
        } catch (ResourceNotFoundException e) {
            LOG.info(() -> "Creating the checkpoint table " + tableName);
            try {
                dynamoDb.createTable(b -> b.tableName(tableName)
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName("mappingId").attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName("shardId").attributeType(ScalarAttributeType.S).build())
                        .keySchema(
                                KeySchemaElement.builder().attributeName("mappingId").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("shardId").keyType(KeyType.RANGE).build())
                        .billingMode(BillingMode.PAY_PER_REQUEST));
            } catch (ResourceInUseException raced) {
                // another process created it meanwhile
            }
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        tableReady = true;
    }
}
