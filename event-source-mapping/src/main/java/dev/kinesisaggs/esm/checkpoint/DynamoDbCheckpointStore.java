package dev.kinesisaggs.esm.checkpoint;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Checkpoints in a DynamoDB table (the emulator locally, real DynamoDB on AWS), created on first
 * use: partition key {@code mappingId} (the mapping's UUID, {@link MappingIdentity#uuid()}), sort key
 * {@code shardId}, attributes {@code checkpoint} (a sequence number, {@code SHARD_END}, or where a shard started before any record was processed:
 * {@code AT_TIMESTAMP:<instant>} or {@code AT_SEQUENCE_NUMBER:<n>}, which builds before 2026-12-05 cannot read; see {@link Checkpoint}), {@code mappingName},
 * {@code streamArn} and {@code functionArn}; beside them, under the sort key {@code lease}, the mapping's lease. An entry whose {@code streamArn} is not the mapping's is refused.
 * Tables written before mappings had identities keyed the entries by the mapping's name alone: such an entry is
 * still read, when the mapping has none of its own for the shard, and the next save writes it under the identity. Window state is deliberately not stored: with
 * tumbling windows the mapping checkpoints only after a window's final invoke, so after a restart
 * the open window is re-read from the checkpoint with a fresh state, as AWS does after a failure.
 */
public final class DynamoDbCheckpointStore implements CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbCheckpointStore.class);

    private static final String CHECKPOINT = "checkpoint";
    private static final String MAPPING_NAME = "mappingName";
    private static final String STREAM_ARN = "streamArn";
    private static final String FUNCTION_ARN = "functionArn";

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
    public Optional<Checkpoint> load(MappingIdentity mapping, String shardId) {
        ensureTable();
        Map<String, AttributeValue> item = get(mapping.uuid(), shardId);
        if (item != null && item.containsKey(CHECKPOINT)) {
            mapping.requireOwnStream(item.containsKey(STREAM_ARN) ? item.get(STREAM_ARN).s() : null, shardId);
            return Optional.of(Checkpoint.parse(item.get(CHECKPOINT).s()));
        }
        // an entry of a table written before identities: keyed by the name, it cannot say which stream it is for
        Map<String, AttributeValue> legacy = get(mapping.name(), shardId);
        if (legacy != null && legacy.containsKey(CHECKPOINT) && !legacy.containsKey(STREAM_ARN)) {
            LOG.atWarn().log(() -> "Reading the checkpoint of " + shardId + " saved under the name " + mapping.name()
                    + " alone (before mappings had identities); from now on it is saved under " + mapping.uuid());
            return Optional.of(Checkpoint.parse(legacy.get(CHECKPOINT).s()));
        }
        return Optional.empty();
    }

    @Override
    public void save(MappingIdentity mapping, String shardId, Checkpoint checkpoint) {
        ensureTable();
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(mapping.uuid(), shardId));
        item.put(CHECKPOINT, AttributeValue.fromS(checkpoint.stored()));
        item.put(MAPPING_NAME, AttributeValue.fromS(mapping.name()));
        item.put(STREAM_ARN, AttributeValue.fromS(mapping.streamArn()));
        item.put(FUNCTION_ARN, AttributeValue.fromS(mapping.functionArn()));
        item.put("updatedAt", AttributeValue.fromS(clock.instant().toString()));
        dynamoDb.putItem(b -> b.tableName(tableName).item(item));
    }

    /** A lease item in this table ({@link DynamoDbMappingLease}): one running instance per mapping, on any machine. */
    @Override
    public MappingLease lease(MappingIdentity mapping, java.util.function.Consumer<String> lost) {
        ensureTable();
        return DynamoDbMappingLease.acquire(dynamoDb, tableName, mapping, clock, DynamoDbMappingLease.RENEW_EVERY,
                DynamoDbMappingLease.EXPIRES_AFTER, lost);
    }

    /**
     * For tools and tests that know a mapping by its name only (they started it from the command line): the checkpoint
     * of the shard under that name, found with a Scan (checkpoint tables are small); refused, in one sentence, when
     * mappings of several streams or functions use the name.
     */
    public Optional<Checkpoint> loadByName(String mappingName, String shardId) {
        ensureTable();
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(tableName).consistentRead(true)
                        .filterExpression("#n = :n AND #s = :s")
                        .expressionAttributeNames(Map.of("#n", MAPPING_NAME, "#s", "shardId"))
                        .expressionAttributeValues(Map.of(":n", AttributeValue.fromS(mappingName), ":s", AttributeValue.fromS(shardId))))
                .items().forEach(found::add);
        if (found.size() > 1) {
            throw new IllegalStateException("The name " + mappingName + " is used by " + found.size()
                    + " mappings (streams or functions) with a checkpoint for " + shardId + ": load by the mapping's identity instead.");
        }
        if (found.isEmpty()) {
            Map<String, AttributeValue> legacy = get(mappingName, shardId);
            return legacy != null && legacy.containsKey(CHECKPOINT) ? Optional.of(Checkpoint.parse(legacy.get(CHECKPOINT).s())) : Optional.empty();
        }
        return Optional.of(Checkpoint.parse(found.get(0).get(CHECKPOINT).s()));
    }

    private Map<String, AttributeValue> get(String mappingKey, String shardId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true).key(key(mappingKey, shardId))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, AttributeValue> key(String mappingKey, String shardId) {
        return Map.of("mappingId", AttributeValue.fromS(mappingKey), "shardId", AttributeValue.fromS(shardId));
    }

    /** Creates the table if it does not exist yet, and waits until it is active. */
    public synchronized void ensureTable() {
        if (tableReady) {
            return;
        }
        try {
            dynamoDb.describeTable(b -> b.tableName(tableName));
        } catch (ResourceNotFoundException e) {
            LOG.atInfo().log(() -> "Creating the checkpoint table " + tableName);
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
