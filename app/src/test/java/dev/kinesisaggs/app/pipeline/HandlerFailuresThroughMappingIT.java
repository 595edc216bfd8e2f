package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.app.commands.RedriveCommand;
import dev.kinesisaggs.app.commands.TestCommands;
import dev.kinesisaggs.app.pipeline.HandlerLog.Step;
import dev.kinesisaggs.app.pipeline.HandlerLog.Unit;
import dev.kinesisaggs.core.kpl.AddResult;
import dev.kinesisaggs.core.kpl.Aggregator;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.kpl.SingleRecordMode;
import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.emulators.ElasticMq;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.processor.InvocationListener;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.function.testing.AggregateTable;
import dev.kinesisaggs.function.testing.DynamoDbFaults;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.LocalAwsOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Issue 5's last check: OUR handler ({@link TripWindowHandler}) behind OUR event source mapping, on kinesalite and
 * dynalite, with DynamoDB failing on purpose under it (an SDK interceptor on the handler's own client), tumbling
 * windows, and ReportBatchItemFailures as the SAM template deploys it.
 *
 * <p>Each test puts 12 KPL-aggregated Kinesis records of 4 trips on each of 2 shards, then starts the mapping
 * from TRIM_HORIZON with BatchSize 5, so that AWS would deliver each shard as batches of 5 records cut at window
 * boundaries ({@link #batches}), then a final invoke per window. The handler's own log (one line per invocation)
 * must show exactly that sequence, with exactly the retries AWS makes for the batches that fail and exactly one
 * invocation of everything else; the on-failure destination must get exactly the record of spec §5.6 for what is
 * discarded; and the aggregates must be exactly the sums of the trips put, less what was discarded.
 *
 * <p>Lab settings the tests change, to run in seconds: BatchSize 5 (not 1000) so that a shard makes several
 * batches and a batch is one BatchWriteItem chunk (at most 25 trips), so that a fault on one trip fails the whole
 * batch; 5 s windows (not 30 s: the window's length is not what is tested, and each test waits for its windows to
 * close); no batching window (not 120 s); a 1 s idle grace (not 120 s); a function timeout of 8 s of which the
 * handler keeps 5 s as its safety margin (so it gives up on throttling after about 3 s, well before the timeout).
 */
@Execution(ExecutionMode.CONCURRENT) // each test waits on windows and retries, on a stream and tables of its own
class HandlerFailuresThroughMappingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WINDOW_SECONDS = 5;
    private static final int BATCH_SIZE = 5;
    private static final int RECORDS_PER_SHARD = 12;
    private static final int TRIPS_PER_RECORD = 4;
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:kinesis-aggs-it";
    private static final DateTimeFormatter MILLIS_Z = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String ACCOUNT = "000000000000";

    /**
     * Emulators of this class only, stopped after it, as PipelineEndToEndIT does: the shared ones of
     * LocalAwsExtension would outlive it in this JVM, where LocalCommandIT checks that no emulator is left.
     */
    private static LocalAws aws;
    private static ElasticMq elasticMq;
    private static SqsClient sqs;
    private static S3Client s3;

    @TempDir
    Path temp;

    private final DynamoDbFaults faults = new DynamoDbFaults();
    private final HandlerLog handlerLog = new HandlerLog();
    /** The mapping's own view of each invocation, for the request id the destination record must name. */
    private final List<InvocationListener.Invocation> delivered = new CopyOnWriteArrayList<>();
    private KinesisClient kinesis;
    private DynamoDbClient dynamo;
    private DynamoDbClient faultyDynamo;
    private String stream;
    private String streamArn;
    private TableNames tables;

    /** A trip as put: its id, vendor and passengers. */
    record TestTrip(String id, int vendorId, int passengers) {
        byte[] json() {
            return ("{\"id\":\"" + id + "\",\"vendorId\":" + vendorId + ",\"pickupDate\":\"2016-01-01T00:00:00\","
                    + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":" + passengers + ","
                    + "\"pickupLongitude\":-73.98174,\"pickupLatitude\":40.71916,\"dropoffLongitude\":-73.93883,"
                    + "\"dropoffLatitude\":40.82918,\"storeAndFwdFlag\":\"N\",\"gcDistance\":1.5,\"tripDuration\":100,"
                    + "\"googleDistance\":15309,\"googleDuration\":1109}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A Kinesis record as put and read back: where it is, when it arrived, the trips it aggregates. */
    record PutRecord(String shardId, String sequenceNumber, Instant arrival, List<TestTrip> trips) {
        String windowStart() {
            long s = arrival.getEpochSecond();
            return Instant.ofEpochSecond(Math.floorDiv(s, WINDOW_SECONDS) * WINDOW_SECONDS).toString();
        }
    }

    record WindowKey(long vendorId, String windowStart) {
    }

    record Sums(long passengers, long trips) {
    }

    @BeforeAll
    static void startEmulators() {
        aws = LocalAws.start(LocalAwsOptions.defaults().withS3());
        s3 = aws.clients().newS3Client();
        elasticMq = ElasticMq.start(ACCOUNT);
        sqs = elasticMq.sqs();
    }

    @AfterAll
    static void stopEmulators() {
        if (elasticMq != null) {
            elasticMq.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @BeforeEach
    void createStreamAndTables() {
        kinesis = aws.kinesis();
        dynamo = aws.dynamoDb();
        String name = "faults-" + UUID.randomUUID().toString().substring(0, 8);
        stream = name;
        kinesis.createStream(b -> b.streamName(name).shardCount(2));
        LocalAwsClients.awaitStreamActive(kinesis, name);
        streamArn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
        tables = new TableNames(name + "-aggs", name + "-trips", name + "-rejects");
        Tables.createIfMissing(dynamo, tables);
        faultyDynamo = aws.clients().newDynamoDbClient(DynamoDbClients.overrides().toBuilder().addExecutionInterceptor(faults).build());
    }

    @AfterEach
    void closeClient() {
        faultyDynamo.close();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aBatchOurHandlerCannotStoreIsInvokedOncePlusTwoRetriesThenGoesToTheDestinationAsDocumented() throws Exception {
        Map<String, List<PutRecord>> shards = putTrips();
        String shardA = firstShard(shards);
        PutRecord poisoned = shards.get(shardA).get(6);
        faults.failPutsOf(tripIds(List.of(poisoned))::contains, "ProvisionedThroughputExceededException");
        Path destination = temp.resolve("failures.jsonl");

        runUntilAllWindowsClosed(shards, config("throw").maximumRetryAttempts(2).onFailureDestination(destination.toString()));

        List<PutRecord> failing = batchContaining(shards.get(shardA), poisoned);
        assertHandlerInvocations(shards,
                batch -> batch.equals(failing) ? repeat(unit(batch), Step.THREW, 3) : List.of(new Step(unit(batch), Step.OK)));

        assertDocumentedRecord(onlyRecordIn(destination), failing, 3, invocationsCarrying(shardA, failing.get(0)), "Unhandled");

        assertThat(aggregates()).as("aggregates: every trip put, less the discarded batch").isEqualTo(sums(allRecordsBut(shards, failing)));
        // the discarded batch's other trips were stored (and claimed by their records, for a redrive) but not counted
        assertThat(storedTripIds()).as("trips stored").isEqualTo(tripIds(allRecordsBut(shards, List.of(poisoned))));
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"a JSON-lines file", "an S3 bucket"})
    void aDiscardedBatchRedrivenFromTheDestinationIsCountedOnceHoweverOftenItIsRedriven(String kind) throws Exception {
        Map<String, List<PutRecord>> shards = putTrips();
        String shardA = firstShard(shards);
        PutRecord poisoned = shards.get(shardA).get(6);
        faults.failPutsOf(tripIds(List.of(poisoned))::contains, "ProvisionedThroughputExceededException");
        String destination;
        String from;
        if (kind.equals("an S3 bucket")) {
            s3.createBucket(b -> b.bucket(stream));
            destination = "arn:aws:s3:::" + stream;
            from = "s3://" + stream + "/aws/lambda/";
        } else {
            destination = temp.resolve("failures.jsonl").toString();
            from = destination;
        }
        runUntilAllWindowsClosed(shards, config("redrive").maximumRetryAttempts(1).onFailureDestination(destination));
        List<PutRecord> failing = batchContaining(shards.get(shardA), poisoned);
        assertThat(aggregates()).as("before: every trip put, less the discarded batch").isEqualTo(sums(allRecordsBut(shards, failing)));
        if (kind.equals("an S3 bucket")) {
            // one object, whose payload is the window's batch the function was sent
            List<String> keys = s3.listObjectsV2(b -> b.bucket(stream)).contents().stream().map(o -> o.key()).toList();
            assertThat(keys).singleElement().asString().startsWith("aws/lambda/").contains("/" + shardA + "/");
            JsonNode payload = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(stream).key(keys.get(0))).asUtf8String()).get("payload");
            assertThat(payload.get("window").get("start").asText()).isEqualTo(failing.get(0).windowStart());
            assertThat(payload.get("Records")).extracting(r -> r.get("kinesis").get("sequenceNumber").asText())
                    .containsExactlyElementsOf(failing.stream().map(PutRecord::sequenceNumber).toList());
        }

        // DynamoDB is well again; kinesis-aggs redrive, with the packaged function under the runtime client; the file's
        // first redrive from a copy with lines it cannot redrive before the record (editedFailures)
        faults.clear();
        for (int redrive = 1; redrive <= 2; redrive++) {
            boolean edited = redrive == 1 && kind.equals("a JSON-lines file");
            StringWriter out = new StringWriter();
            List<String> arguments = new ArrayList<>(List.of("--from", edited ? editedFailures(Path.of(destination)).toString() : from,
                    "--window", WINDOW_SECONDS + "s",
                    "--table", tables.aggregates(), "--trips-table", tables.trips(), "--rejects-table", tables.rejects(),
                    "--function-log", temp.resolve("redrive-function.log").toString()));
            if (!edited) {
                arguments.addAll(List.of("--stream", stream)); // the edited copy names a stream that is not there
            }
            int exit = TestCommands.command(new RedriveCommand(AwsClients.local(aws.clients()), Clock.systemUTC()), out)
                    .execute(arguments.toArray(String[]::new));

            assertThat(exit).as("redrive %d; output:%n%s", redrive, out).isEqualTo(edited ? 1 : 0);
            // what the on-failure record cannot say: how much of the window the aggregates counted, before and after
            long inWindow = shards.get(shardA).stream().filter(r -> r.windowStart().equals(failing.get(0).windowStart())).count();
            long before = redrive == 1 ? inWindow - failing.size() : inWindow;
            assertThat(out.toString()).contains(shardA + " window [" + failing.get(0).windowStart() + ", ",
                            "): the aggregates counted " + before + " of the " + inWindow + " records the stream holds",
                            "; redriven, ", "; now the aggregates counted " + inWindow + " of the " + inWindow + " records the stream holds");
            if (edited) {
                // each line before the record had ended the command ("create it", "A file given is not UTF-8 text")
                assertThat(out.toString())
                        .contains("edited.jsonl line 1: not redriven, shard shardId-000000000009 of stream " + stream + " does not exist (Kinesis: ")
                        .contains("edited.jsonl line 2: not redriven, it is not UTF-8 text.")
                        .contains("edited.jsonl line 3: not redriven, shard " + shardA + " of stream garbage does not exist (Kinesis: ")
                        .contains(": the records it names cannot be read back.")
                        .contains("Done, but 3 on-failure records were not redriven (see above)")
                        .doesNotContain("create it");
            } else {
                assertThat(out.toString()).contains("Done: every window touched is delivered again.");
            }
            assertStoredExactly(shards.values().stream().flatMap(List::stream).toList(),
                    "after redrive " + redrive + ": exactly the sums of every trip put");
        }
    }

    /**
     * A copy of the destination's one on-failure record, after a line naming a shard the stream does not have (it has
     * 2), a line that is not UTF-8 and a line naming no stream.
     */
    private Path editedFailures(Path destination) throws Exception {
        JsonNode given = onlyRecordIn(destination);
        JsonNode noSuchShard = given.deepCopy();
        ((ObjectNode) noSuchShard.get("KinesisBatchInfo")).put("shardId", "shardId-000000000009");
        JsonNode noSuchStream = given.deepCopy();
        ((ObjectNode) noSuchStream.get("KinesisBatchInfo")).put("streamArn", "garbage");
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        lines.writeBytes((JSON.writeValueAsString(noSuchShard) + "\n").getBytes(StandardCharsets.UTF_8));
        lines.writeBytes("{\"caf\u00e9\":1}\n".getBytes(StandardCharsets.ISO_8859_1)); // 0xE9 alone is no UTF-8
        lines.writeBytes((JSON.writeValueAsString(noSuchStream) + "\n" + JSON.writeValueAsString(given) + "\n").getBytes(StandardCharsets.UTF_8));
        return Files.write(temp.resolve("edited.jsonl"), lines.toByteArray());
    }

    @Test
    void whenDynamoDbRecoversTheFailedBatchAndFinalInvokeSucceedOnceAndTheAggregatesAreExact() throws Exception {
        Map<String, List<PutRecord>> shards = putTrips();
        String shardA = firstShard(shards);
        PutRecord poisoned = shards.get(shardA).get(6);
        String firstWindowOfA = shards.get(shardA).get(0).windowStart();
        // a trip of one batch, and the aggregate items of shard A's first window (its final invoke)
        faults.failPutsOf(tripIds(List.of(poisoned))::contains, "ProvisionedThroughputExceededException");
        faults.throttleWritesWhere(item -> item.containsKey("shardId") && item.get("shardId").s().equals(shardA)
                && item.get("window").s().equals(firstWindowOfA));
        Path destination = temp.resolve("failures.jsonl");

        // the lab's MaximumRetryAttempts: -1, retry until the records expire
        EventSourceMapping mapping = start(config("recover").maximumRetryAttempts(-1).onFailureDestination(destination.toString()));
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> failedInvocations(shardA, false) >= 2);
            faults.failPutsOf(id -> false, "ProvisionedThroughputExceededException");
            await().atMost(Duration.ofMinutes(2)).until(() -> failedInvocations(shardA, true) >= 2);
            faults.throttleWritesWhere(item -> false);
            awaitAllWindowsClosed(mapping, shards);
        } finally {
            mapping.close();
        }
        assertMappingCountedWhatTheHandlerLogged(mapping);

        List<PutRecord> failing = batchContaining(shards.get(shardA), poisoned);
        // how often the failing invocations failed is up to the timing; that they then succeeded once is not
        List<Step> actualOfA = handlerLog.steps(shardA);
        assertHandlerInvocations(shards,
                batch -> thenOk(unit(batch), batch.equals(failing) ? failuresOf(actualOfA, unit(batch)) : 0),
                (shardId, window) -> thenOk(finalUnit(shardId, window),
                        shardId.equals(shardA) && window.equals(firstWindowOfA) ? failuresOf(actualOfA, finalUnit(shardA, window)) : 0));
        assertThat(failuresOf(handlerLog.steps(shardA), unit(failing))).as("failed invocations of the throttled batch").isGreaterThanOrEqualTo(2);

        assertThat(destination).as("nothing discarded (the file is made when the mapping is)").isEmptyFile();
        assertStoredExactly(shards.values().stream().flatMap(List::stream).toList(), "aggregates: exactly the sums of the trips put");
    }

    @Test
    void aTripDynamoDbRefusesIsQuarantinedAndTheShardGoesOnWithNothingDiscardedOrRetried() throws Exception {
        Map<String, List<PutRecord>> shards = putTrips();
        String shardA = firstShard(shards);
        PutRecord carrier = shards.get(shardA).get(7);
        TestTrip refused = carrier.trips().get(2);
        faults.failPutsOf(refused.id()::equals, "ValidationException");
        String queue = sqs.createQueue(b -> b.queueName(stream + "-failures")).queueUrl();

        runUntilAllWindowsClosed(shards, config("refused").maximumRetryAttempts(2).onFailureDestination(queue));

        // every batch once, no failure: the refused trip is the second line of defence's, not the shard's problem
        assertHandlerInvocations(shards, b -> List.of(new Step(unit(b), Step.OK)));
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertThat(messages).as("messages in the on-failure queue").isEmpty();

        Map<String, AttributeValue> quarantined = dynamo.getItem(b -> b.tableName(tables.rejects())
                .key(Map.of("recordId", AttributeValue.fromS(shardA + ":" + carrier.sequenceNumber())))).item();
        assertThat(quarantined.get("reasons").m()).containsOnlyKeys("STORAGE_REFUSED");
        assertThat(quarantined.get("examples").l().get(0).m().get("detail").s()).contains(refused.id(), "ValidationError");

        Map<WindowKey, Sums> expected = sums(shards.values().stream().flatMap(List::stream).toList());
        expected.merge(new WindowKey(refused.vendorId(), carrier.windowStart()), new Sums(-refused.passengers(), -1),
                (a, b) -> new Sums(a.passengers() + b.passengers(), a.trips() + b.trips()));
        assertThat(aggregates()).as("aggregates: every trip put but the refused one").isEqualTo(expected);
    }

    @Test
    void withBisectBatchOnFunctionErrorOurFailingBatchIsSplitDownToTheOneRecordThatCannotBeStored() throws Exception {
        Map<String, List<PutRecord>> shards = putTrips();
        String shardA = firstShard(shards);
        PutRecord poisoned = shards.get(shardA).get(6);
        faults.failPutsOf(tripIds(List.of(poisoned))::contains, "ProvisionedThroughputExceededException");
        Path destination = temp.resolve("failures.jsonl");

        // not the lab's setting: AWS does not document bisecting with tumbling windows (spec §4, §5.4)
        runUntilAllWindowsClosed(shards, config("bisect").bisectBatchOnFunctionError(true).maximumRetryAttempts(1)
                .onFailureDestination(destination.toString()));

        assertHandlerInvocations(shards, batch -> bisected(batch, poisoned, 1));

        // the one-record batch left after bisecting is retried MaximumRetryAttempts times; bisecting costs no retry
        long invocationsOfItAlone = handlerLog.steps(shardA).stream().filter(s -> s.unit().equals(unit(List.of(poisoned)))).count();
        assertDocumentedRecord(onlyRecordIn(destination), List.of(poisoned), 2, invocationsOfItAlone, "Unhandled");

        assertThat(aggregates()).as("aggregates: every trip put, less the one discarded record")
                .isEqualTo(sums(allRecordsBut(shards, List.of(poisoned))));
        assertThat(storedTripIds()).as("trips stored").isEqualTo(tripIds(allRecordsBut(shards, List.of(poisoned))));
    }

    // ---------------------------------------------------------------- the pipeline

    private EventSourceMappingConfig.Builder config(String name) {
        return EventSourceMappingConfig.builder()
                .mappingId(stream + "-" + name)
                .functionArn(FUNCTION_ARN)
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(BATCH_SIZE)
                .maximumBatchingWindowInSeconds(0)
                .tumblingWindowInSeconds(WINDOW_SECONDS)
                .windowIdleGrace(Duration.ofSeconds(1))
                .reportBatchItemFailures(true)
                .functionTimeout(Duration.ofSeconds(8))
                .pollInterval(Duration.ofMillis(200))
                .retryBackoffInitial(Duration.ofMillis(500))
                .retryBackoffMax(Duration.ofSeconds(2));
    }

    private EventSourceMapping start(EventSourceMappingConfig.Builder config) {
        // our handler as TripPipeline builds it, with its DynamoDB client failing on purpose
        FunctionConfig function = new FunctionConfig(tables, null, PipelineFunction.OUR_NAME, Duration.ofSeconds(5));
        TripWindowHandler handler = new TripWindowHandler(faultyDynamo, function, Clock.systemUTC(), handlerLog.stream());
        return EventSourceMapping.builder()
                .config(config.build())
                .source(new KinesisStreamSource(kinesis, stream))
                .timeWindowHandler(handler)
                .checkpoints(new InMemoryCheckpointStore())
                .sqsClient(sqs)
                .s3Client(s3)
                .listener(delivered::add)
                .build()
                .start();
    }

    private void runUntilAllWindowsClosed(Map<String, List<PutRecord>> shards, EventSourceMappingConfig.Builder config) {
        EventSourceMapping mapping = start(config);
        try {
            awaitAllWindowsClosed(mapping, shards);
        } finally {
            mapping.close();
        }
        assertMappingCountedWhatTheHandlerLogged(mapping);
    }

    /**
     * With tumbling windows the mapping checkpoints a shard only after a window's final invoke (spec §4), so a
     * shard is done when its checkpoint is its last record and no window is open.
     */
    private static void awaitAllWindowsClosed(EventSourceMapping mapping, Map<String, List<PutRecord>> shards) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, ShardStatus> status = mapping.status().shards().stream()
                    .collect(Collectors.toMap(ShardStatus::shardId, s -> s));
            return shards.entrySet().stream().allMatch(shard -> status.containsKey(shard.getKey())
                    && status.get(shard.getKey()).windowStart().isEmpty()
                    && status.get(shard.getKey()).lastCheckpoint().equals(Optional.of(last(shard.getValue()).sequenceNumber())));
        });
    }

    private void assertMappingCountedWhatTheHandlerLogged(EventSourceMapping mapping) {
        for (ShardStatus shard : mapping.status().shards()) {
            assertThat(shard.invocations()).as("invocations the mapping counted on %s", shard.shardId())
                    .isEqualTo(handlerLog.steps(shard.shardId()).size());
        }
    }

    // ---------------------------------------------------------------- what AWS would do

    /** Our handler's log of each shard is exactly AWS's delivery ({@link #expectedSteps}), every final invoke succeeding once. */
    private void assertHandlerInvocations(Map<String, List<PutRecord>> shards, Function<List<PutRecord>, List<Step>> batchPlan) {
        assertHandlerInvocations(shards, batchPlan, (shardId, window) -> List.of(new Step(finalUnit(shardId, window), Step.OK)));
    }

    /** Our handler's log of each shard is exactly AWS's delivery ({@link #expectedSteps}); {@code finalPlan} takes shard and window. */
    private void assertHandlerInvocations(Map<String, List<PutRecord>> shards, Function<List<PutRecord>, List<Step>> batchPlan,
                                          BiFunction<String, String, List<Step>> finalPlan) {
        for (Map.Entry<String, List<PutRecord>> shard : shards.entrySet()) {
            List<Step> expected = expectedSteps(shard.getValue(), batchPlan, window -> finalPlan.apply(shard.getKey(), window));
            assertThat(handlerLog.steps(shard.getKey())).as("invocations of our handler on %s", shard.getKey()).isEqualTo(expected);
        }
    }

    /**
     * AWS's delivery of a backlog: per window (keyed on arrival), batches of BatchSize records, then the window's
     * final invoke without records; {@code batchPlan} and {@code finalPlan} say what the handler does with each.
     */
    private static List<Step> expectedSteps(List<PutRecord> shard, Function<List<PutRecord>, List<Step>> batchPlan,
                                            Function<String, List<Step>> finalPlan) {
        List<Step> steps = new ArrayList<>();
        for (Map.Entry<String, List<List<PutRecord>>> window : batches(shard).entrySet()) {
            window.getValue().forEach(batch -> steps.addAll(batchPlan.apply(batch)));
            steps.addAll(finalPlan.apply(window.getKey()));
        }
        return steps;
    }

    /** A shard's records by window (in order), each window's cut into batches of BatchSize. */
    private static Map<String, List<List<PutRecord>>> batches(List<PutRecord> shard) {
        Map<String, List<List<PutRecord>>> byWindow = new LinkedHashMap<>();
        for (PutRecord r : shard) {
            List<List<PutRecord>> window = byWindow.computeIfAbsent(r.windowStart(), w -> new ArrayList<>());
            if (window.isEmpty() || window.get(window.size() - 1).size() == BATCH_SIZE) {
                window.add(new ArrayList<>());
            }
            window.get(window.size() - 1).add(r);
        }
        return byWindow;
    }

    private static List<PutRecord> batchContaining(List<PutRecord> shard, PutRecord record) {
        return batches(shard).values().stream().flatMap(List::stream).filter(b -> b.contains(record)).findFirst().orElseThrow();
    }

    private static Unit unit(List<PutRecord> batch) {
        return new Unit(batch.get(0).shardId(), batch.get(0).windowStart(), false, batch.get(0).sequenceNumber(),
                last(batch).sequenceNumber(), batch.size());
    }

    private static Unit finalUnit(String shardId, String windowStart) {
        return new Unit(shardId, windowStart, true, null, null, 0);
    }

    private static List<Step> repeat(Unit unit, String outcome, int times) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            steps.add(new Step(unit, outcome));
        }
        return steps;
    }

    /**
     * Spec §5.4: a failed batch is split in two ({@code ceil(n/2)} first), the halves processed in order; a batch of
     * one record that still fails is retried {@code retries} times and then discarded. Only batches with the
     * poisoned record fail (each is one BatchWriteItem chunk).
     */
    private static List<Step> bisected(List<PutRecord> batch, PutRecord poisoned, int retries) {
        if (!batch.contains(poisoned)) {
            return List.of(new Step(unit(batch), Step.OK));
        }
        if (batch.size() == 1) {
            return repeat(unit(batch), Step.THREW, 1 + retries);
        }
        List<Step> steps = new ArrayList<>(List.of(new Step(unit(batch), Step.THREW)));
        int half = (batch.size() + 1) / 2;
        steps.addAll(bisected(batch.subList(0, half), poisoned, retries));
        steps.addAll(bisected(batch.subList(half, batch.size()), poisoned, retries));
        return steps;
    }

    private static List<Step> thenOk(Unit unit, int failures) {
        List<Step> steps = repeat(unit, Step.THREW, failures);
        steps.add(new Step(unit, Step.OK));
        return steps;
    }

    private static int failuresOf(List<Step> steps, Unit unit) {
        return (int) steps.stream().filter(s -> s.unit().equals(unit) && s.outcome().equals(Step.THREW)).count();
    }

    private int failedInvocations(String shardId, boolean finalInvoke) {
        return (int) handlerLog.steps(shardId).stream()
                .filter(s -> s.unit().finalInvoke() == finalInvoke && s.outcome().equals(Step.THREW)).count();
    }

    private int invocationsCarrying(String shardId, PutRecord record) {
        BigInteger seq = new BigInteger(record.sequenceNumber());
        return (int) handlerLog.steps(shardId).stream().filter(s -> !s.unit().finalInvoke())
                .filter(s -> new BigInteger(s.unit().first()).compareTo(seq) <= 0 && new BigInteger(s.unit().last()).compareTo(seq) >= 0)
                .count();
    }

    // ---------------------------------------------------------------- the destination record (spec §5.6)

    /**
     * @param invokeCount the expected {@code approximateInvokeCount}, which must also be how often our handler logged
     *                    an invocation of the discarded records ({@code handlerInvocations})
     */
    private void assertDocumentedRecord(JsonNode record, List<PutRecord> discarded, int invokeCount, long handlerInvocations,
                                        String functionError) {
        PutRecord first = discarded.get(0);
        PutRecord last = last(discarded);
        assertThat(fieldNames(record)).containsExactlyInAnyOrder("requestContext", "responseContext", "version", "timestamp", "KinesisBatchInfo");

        JsonNode request = record.get("requestContext");
        assertThat(fieldNames(request)).containsExactlyInAnyOrder("requestId", "functionArn", "condition", "approximateInvokeCount");
        assertThat(request.get("requestId").asText()).as("the request id of the last invocation of the batch")
                .isEqualTo(lastRequestIdFor(first.shardId(), first.sequenceNumber()));
        assertThat(request.get("functionArn").asText()).isEqualTo(FUNCTION_ARN);
        assertThat(request.get("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(request.get("approximateInvokeCount").isInt()).isTrue();
        assertThat(request.get("approximateInvokeCount").asInt()).as("approximateInvokeCount = 1 + retries").isEqualTo(invokeCount);
        assertThat(handlerInvocations).as("invocations of the discarded records in our handler's log").isEqualTo(invokeCount);

        JsonNode response = record.get("responseContext");
        assertThat(fieldNames(response)).containsExactlyInAnyOrder("statusCode", "executedVersion", "functionError");
        assertThat(response.get("statusCode").isInt()).isTrue();
        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(response.get("executedVersion").asText()).isEqualTo("$LATEST");
        if (functionError == null) {
            assertThat(response.get("functionError").isNull()).as("functionError is null").isTrue();
        } else {
            assertThat(response.get("functionError").asText()).isEqualTo(functionError);
        }

        assertThat(record.get("version").asText()).isEqualTo("1.0");
        String timestamp = record.get("timestamp").asText();
        assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Instant.parse(timestamp)).isAfterOrEqualTo(last.arrival().truncatedTo(ChronoUnit.MILLIS)).isBeforeOrEqualTo(Instant.now());

        JsonNode info = record.get("KinesisBatchInfo");
        assertThat(fieldNames(info)).containsExactlyInAnyOrder("shardId", "startSequenceNumber", "endSequenceNumber",
                "approximateArrivalOfFirstRecord", "approximateArrivalOfLastRecord", "batchSize", "streamArn");
        assertThat(info.get("shardId").asText()).isEqualTo(first.shardId());
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(first.sequenceNumber());
        assertThat(info.get("endSequenceNumber").asText()).isEqualTo(last.sequenceNumber());
        assertThat(info.get("approximateArrivalOfFirstRecord").asText()).isEqualTo(MILLIS_Z.format(first.arrival()));
        assertThat(info.get("approximateArrivalOfLastRecord").asText()).isEqualTo(MILLIS_Z.format(last.arrival()));
        assertThat(info.get("batchSize").isInt()).isTrue();
        assertThat(info.get("batchSize").asInt()).isEqualTo(discarded.size());
        assertThat(info.get("streamArn").asText()).isEqualTo(streamArn);
    }

    private static JsonNode onlyRecordIn(Path destination) throws IOException {
        List<JsonNode> records = jsonLines(destination);
        assertThat(records).as("records in the on-failure destination").hasSize(1);
        return records.get(0);
    }

    /** The request id the mapping gave the last invocation whose event began with this record. */
    private String lastRequestIdFor(String shardId, String firstSequenceNumber) {
        String id = null;
        for (InvocationListener.Invocation invocation : delivered) {
            JsonNode records;
            try {
                records = JSON.readTree(invocation.eventJson()).path("Records");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (invocation.shardId().equals(shardId) && records.size() > 0
                    && records.get(0).path("kinesis").path("sequenceNumber").asText().equals(firstSequenceNumber)) {
                id = invocation.result().requestId();
            }
        }
        return id;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    // ---------------------------------------------------------------- the trips, put and stored

    /**
     * Puts {@value #RECORDS_PER_SHARD} KPL aggregates of {@value #TRIPS_PER_RECORD} trips on each shard (one
     * PutRecords per shard, routed by explicit hash key), then reads every shard back for the arrival times.
     */
    private Map<String, List<PutRecord>> putTrips() {
        Map<String, List<PutRecord>> byShard = new LinkedHashMap<>();
        List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).shards();
        for (Shard shard : shards) {
            String hashKey = shard.hashKeyRange().startingHashKey();
            List<List<TestTrip>> trips = new ArrayList<>();
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int r = 0; r < RECORDS_PER_SHARD; r++) {
                Aggregator aggregator = new Aggregator(Aggregator.DEFAULT_MAX_AGGREGATE_BYTES, SingleRecordMode.AGGREGATED);
                List<TestTrip> inRecord = new ArrayList<>();
                for (int t = 0; t < TRIPS_PER_RECORD; t++) {
                    TestTrip trip = new TestTrip(shard.shardId() + "-r" + r + "-t" + t, 1 + (r + t) % 2, 1 + (r * TRIPS_PER_RECORD + t) % 6);
                    inRecord.add(trip);
                    AddResult added = aggregator.add(trip.id(), hashKey, trip.json());
                    assertThat(added).isInstanceOf(AddResult.Accepted.class);
                }
                PutRecordEntry entry = aggregator.flush().orElseThrow();
                trips.add(inRecord);
                entries.add(PutRecordsRequestEntry.builder().partitionKey(entry.partitionKey())
                        .explicitHashKey(entry.explicitHashKey()).data(SdkBytes.fromByteArray(entry.data())).build());
            }
            PutRecordsResponse put = kinesis.putRecords(b -> b.streamName(stream).records(entries));
            assertThat(put.failedRecordCount()).isZero();
            Map<String, Instant> arrivals = arrivals(shard.shardId());
            List<PutRecord> records = new ArrayList<>();
            for (int r = 0; r < RECORDS_PER_SHARD; r++) {
                PutRecordsResultEntry result = put.records().get(r);
                assertThat(result.shardId()).isEqualTo(shard.shardId());
                assertThat(arrivals).containsKey(result.sequenceNumber());
                records.add(new PutRecord(shard.shardId(), result.sequenceNumber(), arrivals.get(result.sequenceNumber()), trips.get(r)));
            }
            byShard.put(shard.shardId(), List.copyOf(records));
        }
        return byShard;
    }

    private Map<String, Instant> arrivals(String shardId) {
        Map<String, Instant> arrivals = new HashMap<>();
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current));
            for (Record r : page.records()) {
                arrivals.put(r.sequenceNumber(), r.approximateArrivalTimestamp());
            }
            if (page.records().isEmpty()) {
                break;
            }
            iterator = page.nextShardIterator();
        }
        return arrivals;
    }

    private static String firstShard(Map<String, List<PutRecord>> shards) {
        return shards.keySet().iterator().next();
    }

    private static PutRecord last(List<PutRecord> records) {
        return records.get(records.size() - 1);
    }

    private static List<PutRecord> allRecordsBut(Map<String, List<PutRecord>> shards, List<PutRecord> left) {
        return shards.values().stream().flatMap(List::stream).filter(r -> !left.contains(r)).toList();
    }

    private static Set<String> tripIds(List<PutRecord> records) {
        return records.stream().flatMap(r -> r.trips().stream()).map(TestTrip::id).collect(Collectors.toSet());
    }

    private static Map<WindowKey, Sums> sums(List<PutRecord> records) {
        Map<WindowKey, Sums> sums = new HashMap<>();
        for (PutRecord r : records) {
            for (TestTrip t : r.trips()) {
                sums.merge(new WindowKey(t.vendorId(), r.windowStart()), new Sums(t.passengers(), 1),
                        (a, b) -> new Sums(a.passengers() + b.passengers(), a.trips() + b.trips()));
            }
        }
        return sums;
    }

    /** The aggregates as the command line reads them: one complete run per shard and window. */
    private Map<WindowKey, Sums> aggregates() {
        Map<WindowKey, Sums> found = new HashMap<>();
        AggregateTable.read(dynamo, tables.aggregates()).windows().forEach((window, byVendor) -> byVendor.forEach((vendor, t) ->
                found.put(new WindowKey(vendor, window), new Sums(t.passengers(), t.trips()))));
        return found;
    }

    /** The aggregates are exactly the sums of these records' trips, and exactly their trips are stored. */
    private void assertStoredExactly(List<PutRecord> records, String aggregatesDescription) {
        assertThat(aggregates()).as(aggregatesDescription).isEqualTo(sums(records));
        assertThat(storedTripIds()).as("trips stored").isEqualTo(tripIds(records));
    }

    private Set<String> storedTripIds() {
        List<String> ids = new ArrayList<>();
        for (ScanResponse page : dynamo.scanPaginator(ScanRequest.builder().tableName(tables.trips()).consistentRead(true).build())) {
            page.items().forEach(item -> ids.add(item.get("id").s()));
        }
        assertThat(ids).as("trip ids stored").doesNotHaveDuplicates();
        return Set.copyOf(ids);
    }

}
