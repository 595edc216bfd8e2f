package dev.kinesisaggs.function.tables;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The one place that defines the tables: their keys, and how to create them. The SAM template
 * declares the same keys for AWS; the command line calls {@link #createIfMissing} locally.
 */
public final class Tables {

    /** Aggregates: partition key, the taxi vendor (Number). */
    public static final String VENDOR_ID = "vendorId";
    /** Aggregates: sort key, the window start as the event gives it (ISO-8601 UTC String). */
    public static final String WINDOW_START = "windowStart";
    /** Trips: key, the trip id (String). */
    public static final String TRIP_ID = "id";
    /** Quarantine: key, shard id + sequence number + sub-sequence number (String). */
    public static final String RECORD_ID = "recordId";

    private Tables() {
    }

    public static CreateTableRequest aggregatesTable(String name) {
        return CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(attribute(VENDOR_ID, ScalarAttributeType.N),
                        attribute(WINDOW_START, ScalarAttributeType.S))
                .keySchema(key(VENDOR_ID, KeyType.HASH), key(WINDOW_START, KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    public static CreateTableRequest tripsTable(String name) {
        return singleKeyTable(name, TRIP_ID);
    }

    public static CreateTableRequest rejectsTable(String name) {
        return singleKeyTable(name, RECORD_ID);
    }

    /** The create requests of every table switched on in {@code names}. */
    public static List<CreateTableRequest> definitions(TableNames names) {
        List<CreateTableRequest> tables = new ArrayList<>();
        tables.add(aggregatesTable(names.aggregates()));
        names.tripsTable().ifPresent(t -> tables.add(tripsTable(t)));
        names.rejectsTable().ifPresent(t -> tables.add(rejectsTable(t)));
        return tables;
    }

    /**
     * Why an existing table cannot serve as {@code definition}'s: another key. Every write would then be refused item by
     * item (each trip quarantined as refused by DynamoDB, no window stored), so the commands refuse such a table first.
     *
     * @return what differs, naming the table, its key and the key it needs, for the caller to say what to do (its remedy
     *         depends on where the table came from); empty when the keys are the same
     */
    public static Optional<String> keyProblem(CreateTableRequest definition, TableDescription existing) {
        String needed = keyOf(definition.keySchema(), definition.attributeDefinitions());
        String found = keyOf(existing);
        if (needed.equals(found)) {
            return Optional.empty();
        }
        String role = switch (definition.keySchema().get(0).attributeName()) {
            case VENDOR_ID -> "an aggregates table";
            case TRIP_ID -> "a trips table";
            default -> "a quarantine table";
        };
        return Optional.of("The table " + definition.tableName() + " has the key " + found + ", where " + role + " has "
                + needed);
    }

    /**
     * Creates every table of {@code names} that does not exist yet, then waits until all of them
     * are ACTIVE. Safe to call concurrently: a table created meanwhile by someone else counts as
     * existing.
     *
     * @return the names of the tables this call created
     * @throws IllegalArgumentException when a table exists with another key ({@link #keyProblem})
     */
    public static List<String> createIfMissing(DynamoDbClient dynamo, TableNames names) {
        List<String> created = new ArrayList<>();
        List<CreateTableRequest> tables = definitions(names);
        List<CreateTableRequest> missing = new ArrayList<>();
        // every existing table checked before any is created: a refusal then leaves nothing half made
        for (CreateTableRequest table : tables) {
            Optional<TableDescription> existing = describe(dynamo, table.tableName());
            if (existing.isEmpty()) {
                missing.add(table);
            } else {
                keyProblem(table, existing.get()).ifPresent(problem -> {
                    throw new IllegalArgumentException(problem);
                });
            }
        }
        for (CreateTableRequest table : missing) {
            try {
                dynamo.createTable(table);
                created.add(table.tableName());
            } catch (ResourceInUseException alreadyBeingCreated) {
                // another process won the race; waiting below is all we need
            }
        }
        // Poll briefly: the SDK waiter's default 20 s delay is far longer than an emulator
        // (or on-demand table creation on AWS, a few seconds) needs.
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder()
                .client(dynamo)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(200)))
                        .maxAttempts(600)
                        .build())
                .build()) {
            for (CreateTableRequest table : tables) {
                waiter.waitUntilTableExists(r -> r.tableName(table.tableName()))
                        .matched().exception().ifPresent(e -> {
                            throw new IllegalStateException("table " + table.tableName() + " did not become ACTIVE", e);
                        });
            }
        }
        return created;
    }

    /** The key of a described table, the partition key first: {@code vendorId (N) + windowStart (S)}, {@code id (S)}. */
    private static String keyOf(TableDescription table) {
        return keyOf(table.keySchema(), table.attributeDefinitions());
    }

    private static String keyOf(List<KeySchemaElement> keys, List<AttributeDefinition> attributes) {
        return keys.stream()
                .sorted(Comparator.comparing(k -> k.keyType() == KeyType.HASH ? 0 : 1))
                .map(k -> k.attributeName() + attributes.stream().filter(a -> a.attributeName().equals(k.attributeName()))
                        .findFirst().map(a -> " (" + a.attributeTypeAsString() + ")").orElse(""))
                .collect(Collectors.joining(" + "));
    }

    /** The table as DynamoDB describes it, or empty when there is none of that name. */
    public static Optional<TableDescription> describe(DynamoDbClient dynamo, String table) {
        try {
            return Optional.of(dynamo.describeTable(r -> r.tableName(table)).table());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    private static CreateTableRequest singleKeyTable(String name, String key) {
        return CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(attribute(key, ScalarAttributeType.S))
                .keySchema(key(key, KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .build();
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
