package dev.kinesisaggs.function.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;

/**
 * The template's role lets the function make every DynamoDB call it makes, on the table it makes it on, and no other.
 * The calls are not read from the code but recorded: the handler runs against dynalite through every path that
 * writes (clean trips, a trip put twice, unclean records, final invokes, a replayed one, a part of many vendors), and
 * each request the SDK sends is noted as action and table. On AWS a call the role lacks fails the invocation with
 * AccessDenied, which no emulator reproduces; this is where it is caught.
 */
@ExtendWith(LocalAwsExtension.class)
class RolePermissionsIT {
    private static final String START = "2020-12-09T07:04:00Z";
    private static final String END = "2020-12-09T07:04:30Z";
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:05Z");
    /** The one DynamoDB grant no invocation uses: SnapStart's priming describes the tables before the snapshot. */
    private static final String PRIMING_ONLY = "dynamodb:DescribeTable";

    /** A call as IAM sees it: the action and the template's logical table it is made on. */
    record Call(String action, String table) implements Comparable<Call> {
        @Override
        public int compareTo(Call o) {
            return (action + " " + table).compareTo(o.action + " " + o.table);
        }
    }

    private static final Pattern INSERT_INTO = Pattern.compile("INSERT INTO \"([^\"]+)\" VALUE ");

    /** Notes each request's operation and tables, as the SDK is about to send it. */
    static final class Recorder implements ExecutionInterceptor {
        final Set<Call> calls = new ConcurrentSkipListSet<>();
        private final Map<String, String> logicalIds;

        Recorder(Map<String, String> logicalIds) {
            this.logicalIds = logicalIds;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String action = "dynamodb:" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            SdkRequest request = context.request();
            Set<String> tables = new TreeSet<>();
            request.getValueForField("TableName", String.class).ifPresent(tables::add);
            request.getValueForField("RequestItems", Map.class).ifPresent(items -> items.keySet().forEach(k -> tables.add((String) k)));
            tables.forEach(t -> calls.add(new Call(action, logicalIds.getOrDefault(t, "unknown table " + t))));
            if (request instanceof BatchExecuteStatementRequest batch) {
                // IAM authorises each PartiQL statement by its kind (an INSERT is dynamodb:PartiQLInsert) on its table
                for (BatchStatementRequest statement : batch.statements()) {
                    Matcher insert = INSERT_INTO.matcher(statement.statement());
                    String table = insert.lookingAt() ? insert.group(1) : "a statement not an INSERT: " + statement.statement();
                    calls.add(new Call("dynamodb:PartiQLInsert", logicalIds.getOrDefault(table, "unknown table " + table)));
                }
            }
        }
    }

    @Test
    void theRoleGrantsEveryDynamoDbCallTheFunctionMakesOnItsTableAndNothingElse(LocalAwsClients clients, DynamoDbClient dynamo)
            throws Exception {
        String prefix = "role" + UUID.randomUUID().toString().substring(0, 8) + "-";
        TableNames tables = new TableNames(prefix + "aggregates", prefix + "trips", prefix + "rejects");
        Tables.createIfMissing(dynamo, tables);
        Recorder recorder = new Recorder(Map.of(tables.aggregates(), "AggregatesTable", tables.trips(), "TripsTable",
                tables.rejects(), "RejectsTable"));
        try (DynamoDbClient recorded = clients.newDynamoDbClient(
                DynamoDbClients.overrides().toBuilder().addExecutionInterceptor(recorder).build())) {
            TripWindowHandler handler = new TripWindowHandler(recorded, new FunctionConfig(tables, null, "it", Duration.ofSeconds(1)),
                    Clock.systemUTC());
            runEveryWritingPath(handler);
        }

        TemplateTest.read();
        Set<Call> granted = new TreeSet<>();
        for (Map<String, Object> statement : TemplateTest.statements()) {
            for (String action : TemplateTest.strings(statement.get("Action"))) {
                resources(statement.get("Resource")).forEach(table -> granted.add(new Call(action, table)));
            }
        }
        Set<Call> grantedOnTables = granted.stream().filter(c -> c.action().startsWith("dynamodb:")).collect(Collectors.toCollection(TreeSet::new));

        assertThat(recorder.calls).as("the DynamoDB calls of an invocation's every writing path").isNotEmpty();
        assertThat(grantedOnTables).as("what the role grants on the tables").containsAll(recorder.calls);
        assertThat(grantedOnTables.stream().filter(c -> !c.action().equals(PRIMING_ONLY)))
                .as("granted on the tables and never used by an invocation").isSubsetOf(recorder.calls);
    }

    /** The logical ids of a statement's resources ({@code !GetAtt X.Arn}); other resources are not tables. */
    @SuppressWarnings("unchecked")
    private static List<String> resources(Object resource) {
        List<Object> all = resource instanceof List<?> l ? (List<Object>) l : List.of(resource);
        List<String> tables = new ArrayList<>();
        for (Object r : all) {
            if (r instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof String attribute && attribute.endsWith(".Arn")) {
                tables.add(attribute.substring(0, attribute.length() - ".Arn".length()));
            }
        }
        return tables;
    }

    private static void runEveryWritingPath(TripWindowHandler handler) {
        String shardA = "shardId-000000000000";
        String shardB = "shardId-000000000001";
        String shardC = "shardId-000000000002";
        List<Rec> onA = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            onA.add(new Rec(WindowEvents.seq("0", i), "t" + i, ARRIVAL, TripRecords.trip("t" + i, 1 + i % 2, 1 + i % 6)));
        }
        int n = 100;
        for (TripRecords.Unclean unclean : TripRecords.uncleanKinds().values()) {
            onA.add(new Rec(WindowEvents.seq("0", n++), "bad", ARRIVAL, unclean.data()));
        }
        // trip t1 again on the other shard, as a retrying producer puts it: a duplicate the trips table tells apart
        List<Rec> onB = List.of(new Rec(WindowEvents.seq("1", 1), "t1", ARRIVAL, TripRecords.trip("t1", 2, 2)),
                new Rec(WindowEvents.seq("1", 2), "u1", ARRIVAL, TripRecords.trip("u1", 1, 3)));

        Map<String, String> a = invoke(handler, shardA, Map.of(), false, onA).getState();
        invoke(handler, shardA, a, true, List.of());
        invoke(handler, shardA, a, true, List.of()); // the final invoke again, as a retry after a lost response
        Map<String, String> b = invoke(handler, shardB, Map.of(), false, onB).getState();
        invoke(handler, shardB, b, true, List.of());

        // a part of more vendors than it pays to write again blind: the writer first reads which items are there
        List<Rec> manyVendors = new ArrayList<>();
        for (int vendor = 1; vendor <= 150; vendor++) {
            manyVendors.add(new Rec(WindowEvents.seq("2", vendor), "v" + vendor, ARRIVAL, TripRecords.trip("v" + vendor, vendor, 1)));
        }
        invoke(handler, shardC, invoke(handler, shardC, Map.of(), false, manyVendors).getState(), true, List.of());

        // a batch of more trips than are put blind: they are looked up first (TripClaims)
        String shardD = "shardId-000000000003";
        List<Rec> manyTrips = new ArrayList<>();
        for (int i = 0; i < 1_001; i++) {
            manyTrips.add(new Rec(WindowEvents.seq("3", i), "m" + i, ARRIVAL, TripRecords.trip("m" + i, 1, 1)));
        }
        invoke(handler, shardD, invoke(handler, shardD, Map.of(), false, manyTrips).getState(), true, List.of());
    }

    private static TimeWindowEventResponse invoke(TripWindowHandler handler, String shard, Map<String, String> state, boolean last,
            List<Rec> records) {
        KinesisTimeWindowEvent event = WindowEvents.event(shard, START, END, state, last, false, records);
        return handler.handleRequest(event, new TestContext(Clock.systemUTC(), Duration.ofSeconds(60), UUID.randomUUID().toString()));
    }
}
