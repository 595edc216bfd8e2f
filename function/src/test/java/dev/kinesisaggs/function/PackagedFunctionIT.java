package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.runtime.ExecutionEnvironments;
import dev.kinesisaggs.esm.runtime.InvocationReport;
import dev.kinesisaggs.esm.runtime.PackagedFunction;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.function.testing.AggregateTable;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents.Rec;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.LocalAwsOptions;
import dev.kinesisaggs.localaws.faults.DynamoDbFaultProxy;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deployable artifact, {@code target/kinesis-aggs-function-lambda.jar} (the template's
 * {@code CodeUri}), as Lambda runs it: unpacked as {@code /var/task} and run by AWS's runtime
 * interface client in an execution environment, with the template's environment variables, against
 * dynalite. Events are the JSON Lambda sends; the tables are compared exactly with what the events
 * hold.
 */
@ExtendWith(LocalAwsExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PackagedFunctionIT {

    static final Path ARTIFACT = Path.of("target", "kinesis-aggs-function-lambda.jar");
    static final String HANDLER = "dev.kinesisaggs.function.TripWindowStreamHandler::handleRequest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TABLE_SET = new AtomicInteger();
    private static final String SHARD_A = "shardId-000000000000";
    private static final String SHARD_B = "shardId-000000000001";
    private static final String START = "2020-12-09T07:04:00Z";
    private static final String END = "2020-12-09T07:04:30Z";
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:05Z");

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<InvocationReport> reports = new CopyOnWriteArrayList<>();
    private DynamoDbClient dynamo;
    private TableNames tables;
    private DynamoDbFaultProxy proxy;

    @BeforeEach
    void tables(DynamoDbClient dynamo, LocalAws aws) {
        this.dynamo = dynamo;
        String prefix = "packaged" + TABLE_SET.incrementAndGet() + "-";
        tables = new TableNames(prefix + "kinesisAggs", prefix + "trips", prefix + "rejects");
        Tables.createIfMissing(dynamo, tables);
        proxy = DynamoDbFaultProxy.start(aws.dynamoDbEndpoint());
        assertThat(ARTIFACT).as("the packaged artifact (built in the package phase, before the integration tests)").exists();
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    /** The environments of the packaged function, configured as the template configures it, on DynamoDB through the proxy. */
    private ExecutionEnvironments environments(Duration timeout) {
        return environments(timeout, false);
    }

    private ExecutionEnvironments environments(Duration timeout, boolean snapStart) {
        PackagedFunction function = PackagedFunction.builder()
                .snapStart(snapStart)
                .artifact(ARTIFACT)
                .handler(HANDLER)
                .functionName("kinesis-aggs-it")
                .memorySizeMb(512)
                .environment(tables.toEnvironment())
                .environmentVariable("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString())
                .credentials(LocalAwsClients.credentials())
                .log(log::add)
                .reports(reports::add)
                .build();
        return new ExecutionEnvironments(function, "arn:aws:lambda:us-east-1:123456789012:function:kinesis-aggs-it",
                LocalAwsClients.REGION.id(), timeout, () -> UUID.randomUUID().toString(), Clock.systemUTC());
    }

    /** Trip i of a salt has vendor 1 + i % 2 and 1 + i % 6 passengers, 1.5 miles and 100 s. */
    private static List<Rec> trips(String salt, int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> new Rec(WindowEvents.seq(salt, i), "t" + salt + i, ARRIVAL, TripRecords.trip("t" + salt + i, 1 + i % 2, 1 + i % 6)))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static JsonNode answer(InvocationResult result) throws Exception {
        assertThat(result).as("the function answered (not an error: %s)", result).isInstanceOf(InvocationResult.Returned.class);
        return JSON.readTree(((InvocationResult.Returned) result).responseJson());
    }

    private static Map<String, String> state(JsonNode response) {
        Map<String, String> state = new TreeMap<>();
        response.get("state").fields().forEachRemaining(e -> state.put(e.getKey(), e.getValue().asText()));
        return state;
    }

    private static String event(String shard, Map<String, String> state, boolean last, List<Rec> records) {
        return WindowEvents.json(shard, START, END, state, last, false, records);
    }

    /** Per vendor: passengers, trips, distance (micro-miles), duration, from the trips themselves. */
    private static Map<Long, VendorTotals> expected(Map<String, List<Integer>> tripsBySalt) {
        Map<Long, VendorTotals> sums = new TreeMap<>();
        tripsBySalt.forEach((salt, indexes) -> indexes.forEach(i ->
                sums.merge((long) (1 + i % 2), new VendorTotals(1 + i % 6, 1, 1_500_000, 100), VendorTotals::plus)));
        return sums;
    }

    private Map<Long, VendorTotals> aggregatesInTheTable() {
        return AggregateTable.read(dynamo, tables.aggregates()).window(START);
    }

    private Set<String> keys(String table, String key) {
        return dynamo.scan(r -> r.tableName(table).consistentRead(true)).items().stream().map(i -> i.get(key).s())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void twoShardsPartsWithStateCarriedAndAReplayedFinalInvokeAddUpExactlyOnce() throws Exception {
        try (ExecutionEnvironments envs = environments(Duration.ofSeconds(60))) {
            List<Rec> a1 = trips("1", 0, 5);
            a1.add(new Rec(WindowEvents.seq("1", 99), "bad", ARRIVAL, "this is not json".getBytes(StandardCharsets.UTF_8)));
            JsonNode afterA1 = answer(envs.invoke(SHARD_A, event(SHARD_A, Map.of(), false, a1)));
            assertThat(afterA1.get("batchItemFailures")).isEmpty();
            JsonNode afterB1 = answer(envs.invoke(SHARD_B, event(SHARD_B, Map.of(), false, trips("2", 0, 3))));
            JsonNode afterA2 = answer(envs.invoke(SHARD_A, event(SHARD_A, state(afterA1), false, trips("1", 5, 8))));
            assertThat(state(afterA2)).isNotEmpty();

            // nothing is added to the aggregates before a part's final invoke
            assertThat(aggregatesInTheTable()).isEmpty();
            String finalA = event(SHARD_A, state(afterA2), true, List.of());
            JsonNode afterFinalA = answer(envs.invoke(SHARD_A, finalA));
            assertThat(state(afterFinalA)).isEmpty();
            answer(envs.invoke(SHARD_A, finalA)); // Lambda retries a final invoke: the part is added once
            answer(envs.invoke(SHARD_B, event(SHARD_B, state(afterB1), true, List.of())));

            assertThat(aggregatesInTheTable()).isEqualTo(expected(Map.of("1", IntStream.range(0, 8).boxed().toList(),
                    "2", IntStream.range(0, 3).boxed().toList())));
            Set<String> tripIds = new TreeSet<>();
            IntStream.range(0, 8).forEach(i -> tripIds.add("t1" + i));
            IntStream.range(0, 3).forEach(i -> tripIds.add("t2" + i));
            assertThat(keys(tables.trips(), "id")).isEqualTo(tripIds);
            assertThat(keys(tables.rejects(), "recordId")).containsExactly(SHARD_A + ":" + WindowEvents.seq("1", 99));
            assertThat(envs.environmentsStarted()).isEqualTo(1);
        }
        assertThat(reports).hasSize(6);
        assertThat(reports.get(0).cold()).isTrue();
        assertThat(reports.subList(1, 6)).noneMatch(InvocationReport::cold);
        // a cold start a user would not read as a fault: no SLF4J warning, no stack trace
        assertThat(log).noneMatch(l -> l.contains("SLF4J")).noneMatch(l -> l.contains("Exception"));
        // each invocation logs one JSON line (also the metrics record), between START and END
        List<String> jsonLines = log.stream().filter(l -> l.startsWith("{")).toList();
        assertThat(jsonLines).hasSize(6);
        for (int i = 0; i < 6; i++) {
            JsonNode line = JSON.readTree(jsonLines.get(i));
            assertThat(line.isObject()).isTrue();
            // the runtime's request id, and a cold start exactly where Lambda's REPORT has an Init Duration
            assertThat(line.get("function_request_id").asText()).isEqualTo(reports.get(i).requestId());
            assertThat(line.get("cold_start").asBoolean()).as("cold_start of invocation %d", i).isEqualTo(reports.get(i).cold());
        }
    }

    @Test
    void aThousandTripsWrittenManyAtATimeKeepTheirConnections() throws Exception {
        try (ExecutionEnvironments envs = environments(Duration.ofSeconds(60))) {
            answer(envs.invoke(SHARD_A, event(SHARD_A, Map.of(), false, trips("1", 0, 1000))));
        }
        // 40 calls of 25 (a few more when a call is tried again, under load)
        assertThat(proxy.calls("BatchExecuteStatement")).as("the trips' inserts, 25 to a call").isBetween(40, 60);
        assertThat(proxy.calls("PutItem")).as("the run's opening").isEqualTo(1);
        // On AWS a new connection is a TCP and a TLS handshake, milliseconds of CPU and a round trip or two. The JDK's
        // HTTP client keeps 5 idle connections per host unless told otherwise, and closed the others as calls ended:
        // 66 connections for these 1,000 calls. The writers' calls, and the handler thread's, fit in as many.
        assertThat(proxy.connectionsOpened()).as("connections opened for 1,000 calls").isLessThanOrEqualTo(FunctionConfig.callsInFlight(512) + 1);
    }

    @Test
    void insertsThrottledOneByOneAreRetriedAndEveryTripIsStoredAndCountedOnce() throws Exception {
        // DynamoDB answers a BatchExecuteStatement statement by statement: here each trip whose id ends in 3 or 7 is
        // throttled the first time it is sent (ProvisionedThroughputExceeded for its statement alone, the others stored)
        Set<String> throttledOnce = ConcurrentHashMap.newKeySet();
        proxy.withhold(id -> (id.endsWith("3") || id.endsWith("7")) && throttledOnce.add(id));
        List<Rec> batch = trips("1", 0, 100);
        try (ExecutionEnvironments envs = environments(Duration.ofSeconds(60))) {
            JsonNode first = answer(envs.invoke(SHARD_A, event(SHARD_A, Map.of(), false, batch)));
            assertThat(first.get("batchItemFailures")).isEmpty();
            answer(envs.invoke(SHARD_A, event(SHARD_A, state(first), true, List.of())));
        }
        assertThat(proxy.withheldItems()).as("statements throttled").isEqualTo(20);
        assertThat(aggregatesInTheTable()).isEqualTo(expected(Map.of("1", IntStream.range(0, 100).boxed().toList())));
        assertThat(keys(tables.trips(), "id")).hasSize(100)
                .containsAll(batch.stream().map(Rec::partitionKey).toList());
        assertThat(keys(tables.rejects(), "recordId")).as("no trip taken for a duplicate of itself").isEmpty();
    }

    @Test
    void anEventNearLambdasSixMegabytesIsReadByTheStreamHandlerAndEveryTripCounted() throws Exception {
        // Lambda's invocation payload is at most 6 MB (6,291,456 bytes): an event just under it, of plain records
        int count = 6_200;
        List<Rec> batch = trips("1", 0, count);
        String json = event(SHARD_A, Map.of(), false, batch);
        assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as("the event's size")
                .isBetween(5_500_000, 6_291_456);
        try (ExecutionEnvironments envs = environments(Duration.ofSeconds(60))) {
            JsonNode first = answer(envs.invoke(SHARD_A, json));
            assertThat(first.get("batchItemFailures")).isEmpty();
            answer(envs.invoke(SHARD_A, event(SHARD_A, state(first), true, List.of())));
        }
        assertThat(aggregatesInTheTable()).isEqualTo(expected(Map.of("1", IntStream.range(0, count).boxed().toList())));
        assertThat(dynamo.scanPaginator(r -> r.tableName(tables.trips()).consistentRead(true)).items().stream().count())
                .as("trips stored").isEqualTo(count);
    }

    @Test
    void onAnEndpointWithoutPartiqlEachTripIsAConditionalPutAndTheTablesAreTheSame() throws Exception {
        // dynalite as its package ships answers BatchExecuteStatement with UnknownOperationException, as other emulators do
        proxy.close();
        try (LocalAws plain = LocalAws.start(LocalAwsOptions.defaults().withoutPartiql())) {
            dynamo = plain.dynamoDb();
            Tables.createIfMissing(dynamo, tables);
            proxy = DynamoDbFaultProxy.start(plain.dynamoDbEndpoint());
            // shard B delivers trips 0-9 of shard A again (a retrying producer), and 5 of its own
            List<Rec> onB = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                onB.add(new Rec(WindowEvents.seq("3", i), "t1" + i, ARRIVAL, TripRecords.trip("t1" + i, 1 + i % 2, 1 + i % 6)));
            }
            onB.addAll(trips("2", 0, 5));
            try (ExecutionEnvironments envs = environments(Duration.ofSeconds(60))) {
                JsonNode a = answer(envs.invoke(SHARD_A, event(SHARD_A, Map.of(), false, trips("1", 0, 60))));
                answer(envs.invoke(SHARD_A, event(SHARD_A, state(a), true, List.of())));
                JsonNode b = answer(envs.invoke(SHARD_B, event(SHARD_B, Map.of(), false, onB)));
                answer(envs.invoke(SHARD_B, event(SHARD_B, state(b), true, List.of())));
            }
            assertThat(aggregatesInTheTable()).isEqualTo(expected(Map.of("1", IntStream.range(0, 60).boxed().toList(),
                    "2", IntStream.range(0, 5).boxed().toList())));
            assertThat(keys(tables.trips(), "id")).hasSize(65);
            assertThat(keys(tables.rejects(), "recordId")).as("the 10 duplicates").hasSize(10);
            // each environment tries it, with the calls already in flight when the first answer came (shard A's 3 of 25)
            assertThat(proxy.calls("BatchExecuteStatement")).as("tried by each environment, then no more").isBetween(2, 4);
            assertThat(proxy.calls("PutItem")).as("a conditional put per trip, and each run's opening").isGreaterThanOrEqualTo(75 + 2);
            assertThat(log).anyMatch(l -> l.contains("does not serve BatchExecuteStatement"));
        }
    }

    @Test
    void aBatchThatCannotBeStoredInTimeFailsWholeAndItsRetryWithTheSameStateIsExact() throws Exception {
        // DynamoDB throttles every insert of trips, whatever the function does, until it heals (the run's opening, a
        // PutItem, goes through)
        proxy.throttle("BatchExecuteStatement", call -> true);
        try (ExecutionEnvironments envs = environments(Duration.ofSeconds(6))) {
            List<Rec> batch = trips("1", 0, 5);
            String event = event(SHARD_A, Map.of(), false, batch);
            InvocationResult failed = envs.invoke(SHARD_A, event);
            assertThat(failed).as("a whole-batch failure, never a partial answer inside a window")
                    .isInstanceOfSatisfying(InvocationResult.Threw.class,
                            t -> assertThat(t.errorType()).isEqualTo("dev.kinesisaggs.function.storage.StorageException"));
            assertThat(proxy.throttledCalls()).as("backed off and retried before failing (one call of 5 inserts a round)").isGreaterThan(1);

            proxy.heal();
            // Lambda retries the same batch with the same state
            JsonNode retried = answer(envs.invoke(SHARD_A, event));
            assertThat(retried.get("batchItemFailures")).isEmpty();
            answer(envs.invoke(SHARD_A, event(SHARD_A, state(retried), true, List.of())));
        }
        assertThat(aggregatesInTheTable()).isEqualTo(expected(Map.of("1", IntStream.range(0, 5).boxed().toList())));
        assertThat(keys(tables.trips(), "id")).containsExactly("t10", "t11", "t12", "t13", "t14");
    }

    @Test
    void withSnapStartTheRuntimeClientRunsThePrimingHookBeforeTheFirstInvocationAndPrimingWritesNothing() throws Exception {
        try (ExecutionEnvironments envs = environments(Duration.ofSeconds(60), true)) {
            JsonNode first = answer(envs.invoke(SHARD_A, event(SHARD_A, Map.of(), false, trips("1", 0, 3))));
            assertThat(first.get("batchItemFailures")).isEmpty();
        }
        // the runtime client's own CRaC path (AWS_LAMBDA_INITIALIZATION_TYPE=snap-start): beforeCheckpoint, then
        // restore, then afterRestore, all before the first GET .../next
        int primed = indexOf(l -> l.startsWith("kinesis-aggs priming: "));
        int start = indexOf(l -> l.startsWith("START RequestId: "));
        assertThat(primed).as("the priming hook's line, in %s", log).isNotNegative().isLessThan(start);
        assertThat(log.get(primed)).doesNotContain("failed");
        // a restored environment did its init before the request: no cold start, as Powertools counts it
        List<String> jsonLines = log.stream().filter(l -> l.startsWith("{")).toList();
        assertThat(jsonLines).hasSize(1);
        assertThat(JSON.readTree(jsonLines.get(0)).get("cold_start").asBoolean()).isFalse();
        assertThat(proxy.calls("DescribeTable")).as("priming's only real calls").isEqualTo(3);
        assertThat(keys(tables.trips(), "id")).containsExactly("t10", "t11", "t12");
        assertThat(keys(tables.rejects(), "recordId")).isEmpty();
        assertThat(aggregatesInTheTable()).isEmpty();
    }

    private int indexOf(java.util.function.Predicate<String> line) {
        for (int i = 0; i < log.size(); i++) {
            if (line.test(log.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
