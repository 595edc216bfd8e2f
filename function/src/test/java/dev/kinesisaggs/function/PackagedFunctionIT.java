package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.runtime.ExecutionEnvironments;
import dev.kinesisaggs.esm.runtime.InvocationReport;
import dev.kinesisaggs.esm.runtime.PackagedFunction;
import dev.kinesisaggs.function.storage.TableNames;
import dev.kinesisaggs.function.storage.Tables;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.function.testing.WindowEvents.Rec;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.faults.DynamoDbFaultProxy;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.math.BigDecimal;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The deployable artifact, {@code target/kinesis-aggs-function-lambda.jar} (the template's
 * {@code CodeUri}), as Lambda runs it: unpacked as {@code /var/task} and run by AWS's runtime
 * interface client in an execution environment, with the template's environment variables, against
 * dynalite. Events are the JSON Lambda sends; the tables are compared exactly with what the events
 * hold. (An artifact without joda-time fails every invocation here, before the handler is reached.)
 */
@ExtendWith(LocalAwsExtension.class)
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PackagedFunctionIT {

    static final Path ARTIFACT = Path.of("target", "kinesis-aggs-function-lambda.jar");
    static final String HANDLER = "dev.kinesisaggs.function.TripWindowHandler::handleRequest";
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

    /** Per vendor: passengers, trips, distance, duration, from the trips themselves. */
    private static Map<Integer, List<BigDecimal>> expected(Map<String, List<Integer>> tripsBySalt) {
        Map<Integer, List<BigDecimal>> sums = new TreeMap<>();
        tripsBySalt.forEach((salt, indexes) -> indexes.forEach(i -> {
            List<BigDecimal> s = sums.computeIfAbsent(1 + i % 2, v -> new ArrayList<>(List.of(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO)));
            s.set(0, s.get(0).add(BigDecimal.valueOf(1 + i % 6)));
            s.set(1, s.get(1).add(BigDecimal.ONE));
            s.set(2, s.get(2).add(new BigDecimal("1.5")));
            s.set(3, s.get(3).add(BigDecimal.valueOf(100)));
        }));
        return sums;
    }

    private Map<Integer, List<BigDecimal>> aggregatesInTheTable() {
        Map<Integer, List<BigDecimal>> sums = new TreeMap<>();
        for (Map<String, AttributeValue> item : dynamo.scan(r -> r.tableName(tables.aggregates()).consistentRead(true)).items()) {
            assertThat(item.get("windowStart").s()).isEqualTo(START);
            sums.put(Integer.parseInt(item.get("vendorId").n()), List.of(n(item, "passenger"), n(item, "trips"), n(item, "distance"), n(item, "duration")));
        }
        return sums;
    }

    private static BigDecimal n(Map<String, AttributeValue> item, String name) {
        return new BigDecimal(item.get(name).n()).stripTrailingZeros();
    }

    private Set<String> keys(String table, String key) {
        return dynamo.scan(r -> r.tableName(table).consistentRead(true)).items().stream().map(i -> i.get(key).s())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<Integer, List<BigDecimal>> stripped(Map<Integer, List<BigDecimal>> sums) {
        Map<Integer, List<BigDecimal>> out = new TreeMap<>();
        sums.forEach((v, s) -> out.put(v, s.stream().map(BigDecimal::stripTrailingZeros).toList()));
        return out;
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

            assertThat(aggregatesInTheTable()).isEqualTo(stripped(expected(Map.of("1", IntStream.range(0, 8).boxed().toList(),
                    "2", IntStream.range(0, 3).boxed().toList()))));
            Set<String> tripIds = new TreeSet<>();
            IntStream.range(0, 8).forEach(i -> tripIds.add("t1" + i));
            IntStream.range(0, 3).forEach(i -> tripIds.add("t2" + i));
            assertThat(keys(tables.trips(), "id")).isEqualTo(tripIds);
            assertThat(keys(tables.rejects(), "recordId")).containsExactly(SHARD_A + ":" + WindowEvents.seq("1", 99) + ":0");
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
        for (String line : jsonLines) {
            assertThat(JSON.readTree(line).isObject()).isTrue();
        }
    }

    @Test
    void aBatchWhoseTripsCannotAllBeStoredReportsTheFirstFailedRecordAndTheRetryCompletesIt() throws Exception {
        // DynamoDB leaves trip t12 unprocessed, whatever the function does, until it heals
        proxy.withhold(key -> key.equals("t12"));
        try (ExecutionEnvironments envs = environments(Duration.ofSeconds(6))) {
            List<Rec> batch = trips("1", 0, 5);
            JsonNode partial = answer(envs.invoke(SHARD_A, event(SHARD_A, Map.of(), false, batch)));
            assertThat(partial.get("batchItemFailures")).hasSize(1);
            assertThat(partial.get("batchItemFailures").get(0).get("itemIdentifier").asText()).isEqualTo(WindowEvents.seq("1", 2));
            assertThat(proxy.withheldItems()).isGreaterThan(1);

            proxy.heal();
            // Lambda re-delivers from the failed record on, with the state of the partial response
            JsonNode rest = answer(envs.invoke(SHARD_A, event(SHARD_A, state(partial), false, batch.subList(2, 5))));
            assertThat(rest.get("batchItemFailures")).isEmpty();
            answer(envs.invoke(SHARD_A, event(SHARD_A, state(rest), true, List.of())));
        }
        assertThat(aggregatesInTheTable()).isEqualTo(stripped(expected(Map.of("1", IntStream.range(0, 5).boxed().toList()))));
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
