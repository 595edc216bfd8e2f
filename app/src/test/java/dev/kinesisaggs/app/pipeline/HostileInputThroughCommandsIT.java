package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.app.commands.ConsumeCommand;
import dev.kinesisaggs.app.commands.ProduceCommand;
import dev.kinesisaggs.app.commands.TestCommands;
import dev.kinesisaggs.app.pipeline.StreamReadBack.Contents;
import dev.kinesisaggs.app.pipeline.StreamReadBack.ReadTrip;
import dev.kinesisaggs.app.pipeline.StreamReadBack.Sums;
import dev.kinesisaggs.app.pipeline.StreamReadBack.WindowKey;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.function.testing.AggregateTable;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The issue's own report, as a user ran it: {@code produce --jsonl} of 40 clean trips among trips whose numbers are
 * finite but beyond what DynamoDB stores, other hostile values and a producer's duplicate, then {@code consume} from
 * {@code TRIM_HORIZON} with 5 s windows through the packaged function. Before, the refused items failed every
 * invocation and both shards retried for ever. Now: every shard reaches its last record, the aggregates equal the
 * sums computed from the stream read back (KCL's deaggregator, Jackson), each clean trip is stored once, and each
 * hostile user record is quarantined with its reason.
 */
class HostileInputThroughCommandsIT {

    private static final int CLEAN = 40;
    private static LocalAws aws;
    private static KinesisClient kinesis;
    private static DynamoDbClient dynamo;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulators() {
        aws = LocalAws.start();
        kinesis = aws.clients().newKinesisClient();
        dynamo = aws.clients().newDynamoDbClient();
    }

    @AfterAll
    static void stopEmulators() {
        if (kinesis != null) {
            kinesis.close();
            dynamo.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    private static String trip(String id, int vendor, int passengers, String gcDistance, String pickupLatitude) {
        return "{\"id\":\"" + id + "\",\"vendorId\":" + vendor + ",\"pickupDate\":\"2016-01-01T00:00:00\","
                + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":" + passengers + ","
                + "\"pickupLongitude\":-73.98174,\"pickupLatitude\":" + pickupLatitude + ",\"dropoffLongitude\":-73.93883,"
                + "\"dropoffLatitude\":40.82918,\"storeAndFwdFlag\":\"N\",\"gcDistance\":" + gcDistance + ",\"tripDuration\":849,"
                + "\"googleDistance\":15309,\"googleDuration\":1109}";
    }

    @Test
    void aFileWithNoTripInItIsNotASuccess() throws Exception {
        Path notTrips = Files.write(temp.resolve("passwd.jsonl"), List.of("root:x:0:0:root:/root:/bin/bash",
                "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin", "{\"not\":\"a trip\"}"));
        kinesis.createStream(b -> b.streamName("not-trips").shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, "not-trips");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine produce = TestCommands.command(new ProduceCommand(() -> new CountDownLatch(1).await(), AwsClients.local(aws.clients())), out);
        produce.setErr(new java.io.PrintWriter(err, true));

        assertThat(produce.execute("--stream", "not-trips", "--jsonl", notTrips.toString())).as("exit code; output:%n%s%s", out, err).isEqualTo(2);
        assertThat(err.toString()).endsWith("No row of " + notTrips + " is a trip (3 skipped): give a workshop trip CSV (--csv) or a"
                + " JSON-lines file of trips (--jsonl)." + System.lineSeparator());
        assertThat(StreamReadBack.read(kinesis, "not-trips").kinesisRecords()).as("Kinesis records sent").isZero();
    }

    /**
     * Found by probing the commands: a table of another key (or one table named for two) was taken, and every trip then
     * quarantined as refused by DynamoDB while the mapping said all was well.
     */
    @Test
    void aTableOfAnotherKeyOrOneNameForTwoTablesIsRefusedBeforeAnythingRuns() {
        kinesis.createStream(b -> b.streamName("keys").shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, "keys");
        Tables.createIfMissing(dynamo, new TableNames("keys-aggregates", null, null));
        AwsClients clients = AwsClients.local(aws.clients());

        for (List<String> tables : List.of(List.of("--trips-table", "keys-aggregates", "--rejects-table", ""),
                List.of("--trips-table", "", "--rejects-table", "keys-aggregates"))) {
            StringWriter out = new StringWriter();
            CommandLine consume = TestCommands.command(new ConsumeCommand(() -> { }, clients, Clock.systemUTC()), out);
            List<String> arguments = new ArrayList<>(List.of("--stream", "keys", "--table", "keys-aggregates", "--duration", "1s"));
            arguments.addAll(tables);
            assertThat(consume.execute(arguments.toArray(String[]::new))).as("exit code; output:%n%s", out).isEqualTo(2);
            assertThat(out.toString().strip()).isEqualTo("The aggregates, trips and quarantine tables need a name each, not"
                    + " 'keys-aggregates' for two of them: give --table, --trips-table and --rejects-table different names.");
        }
        // with --create-tables first: it checks every table before it creates any, so the refusal leaves none made
        for (String create : List.of("--create-tables", "")) {
            StringWriter out = new StringWriter();
            CommandLine consume = TestCommands.command(new ConsumeCommand(() -> { }, clients, Clock.systemUTC()), out);
            List<String> arguments = new ArrayList<>(List.of("--stream", "keys", "--table", "keys-other", "--trips-table",
                    "keys-aggregates", "--rejects-table", "", "--duration", "1s"));
            if (create.isEmpty()) {
                Tables.createIfMissing(dynamo, new TableNames("keys-other", null, null));
            } else {
                arguments.add(create);
            }
            assertThat(consume.execute(arguments.toArray(String[]::new))).as("exit code; output:%n%s", out).isEqualTo(2);
            assertThat(out.toString().strip()).as(create).isEqualTo("The table keys-aggregates has the key vendorId (N) + windowStart (S),"
                    + " where a trips table has id (S): name the table of that role (--table, --trips-table, --rejects-table),"
                    + " or a new one with --create-tables.");
            if (!create.isEmpty()) {
                assertThat(dynamo.listTables().tableNames()).as("tables after the refusal").doesNotContain("keys-other");
            }
        }
    }

    @Test
    void hostileNumbersAndDuplicatesAmongCleanTripsNeverBlockAShardAndEveryCleanTripIsCountedOnce() throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, Integer> hostile = new HashMap<>(); // reason -> user records
        for (int i = 0; i < CLEAN; i++) {
            lines.add(trip("clean-" + i, 1 + i % 3, 1 + i % 6, "1.25", "40.71916"));
            if (i % 8 == 3) {
                // the two: finite, but beyond DynamoDB's number range
                lines.add(trip("huge-" + i, 1, 1, "1e200", "40.71916"));
                lines.add(trip("tiny-" + i, 2, 1, "1.25", "1e-200"));
                hostile.merge("OUT_OF_RANGE", 2, Integer::sum);
            }
        }
        // DynamoDB's limits and beyond, in the other fields a trip stores
        lines.add(trip("max-magnitude", 1, 1, "9.9999999999999999999999999999999999999e125", "40.7"));
        lines.add(trip("x".repeat(257), 1, 1, "1.25", "40.7"));
        lines.add(trip("lone-\\ud800", 1, 1, "1.25", "40.7"));
        lines.add(trip("big-vendor", 2_147_483_647, 1, "1.25", "40.7").replace("\"vendorId\":2147483647", "\"vendorId\":2147483648"));
        hostile.merge("OUT_OF_RANGE", 4, Integer::sum);
        // a producer's retry: the same trips again, later in the file
        lines.add(trip("clean-5", 3, 6, "1.25", "40.71916"));
        lines.add(trip("clean-17", 3, 6, "1.25", "40.71916"));
        hostile.merge("DUPLICATE_TRIP", 2, Integer::sum);
        Path jsonl = Files.write(temp.resolve("hostile.jsonl"), lines);

        String stream = "hostile";
        TableNames tables = new TableNames("aggs-hostile", "trips-hostile", "rejects-hostile");
        String mappingId = "hostile";
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
        Tables.createIfMissing(dynamo, tables);
        AwsClients clients = AwsClients.local(aws.clients());

        StringWriter produceOut = new StringWriter();
        CommandLine produce = TestCommands.command(new ProduceCommand(() -> new CountDownLatch(1).await(), clients), produceOut);
        assertThat(produce.execute("--stream", stream, "--jsonl", jsonl.toString(), "--send-bad-rows"))
                .as("produce; output:%n%s", produceOut).isZero();

        CountDownLatch stopConsumer = new CountDownLatch(1);
        StringWriter consumeOut = new StringWriter();
        CommandLine consume = TestCommands.command(new ConsumeCommand(stopConsumer::await, clients, Clock.systemUTC()), consumeOut);
        CompletableFuture<Integer> consuming = CompletableFuture.supplyAsync(() -> consume.execute(
                "--stream", stream, "--table", tables.aggregates(), "--trips-table", tables.trips(),
                "--rejects-table", tables.rejects(), "--mapping-id", mappingId, "--starting-position", "TRIM_HORIZON",
                "--window", "5s", "--batching-window", "1s", "--idle-grace", "3s", "--status-every", "30s",
                "--function-log", temp.resolve("function.log").toString()));

        Contents contents = StreamReadBack.read(kinesis, stream);
        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamo, TripPipeline.CHECKPOINT_TABLE, Clock.systemUTC());
        // no shard blocked: each one's checkpoint reaches its last record, which the mapping stores only after the
        // window's final invoke succeeded
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .failFast("the consumer stopped", consuming::isDone)
                .until(() -> contents.lastSequenceNumbers().entrySet().stream().allMatch(shard ->
                        checkpoints.loadByName(mappingId, shard.getKey()).map(Checkpoint::stored).equals(Optional.of(shard.getValue()))));
        stopConsumer.countDown();
        assertThat(consuming.get(90, TimeUnit.SECONDS)).as("consume; output:%n%s", consumeOut).isZero();
        assertThat(consumeOut.toString()).doesNotContain("RETRYING");

        // the oracle: the clean trips read back from the stream, each id once (its first occurrence), by arrival window
        Set<String> seen = new HashSet<>();
        Map<WindowKey, Sums> expected = new HashMap<>();
        long w = Duration.ofSeconds(5).toMillis();
        for (ReadTrip t : contents.trips()) {
            if (t.id().startsWith("clean-") && seen.add(t.id())) {
                expected.merge(new WindowKey(t.vendorId(), Instant.ofEpochMilli(Math.floorDiv(t.arrival().toEpochMilli(), w) * w)),
                        t.sums(), Sums::plus);
            }
        }
        assertThat(seen).hasSize(CLEAN);
        AggregateTable table = AggregateTable.read(dynamo, tables.aggregates());
        StreamReadBack.assertSameSums(table, expected);
        assertThat(table.incompleteShards()).isEmpty();

        assertThat(dynamo.scan(b -> b.tableName(tables.trips())).items()).extracting(i -> i.get("id").s())
                .hasSize(CLEAN).allMatch(id -> id.startsWith("clean-"));
        Map<String, Integer> quarantined = new HashMap<>();
        for (Map<String, AttributeValue> item : dynamo.scan(b -> b.tableName(tables.rejects())).items()) {
            item.get("reasons").m().forEach((reason, n) -> quarantined.merge(reason, Integer.parseInt(n.n()), Integer::sum));
        }
        assertThat(quarantined).isEqualTo(hostile);
    }
}
