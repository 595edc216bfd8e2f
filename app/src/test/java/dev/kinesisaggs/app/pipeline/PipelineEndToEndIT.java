package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.app.commands.ConsumeCommand;
import dev.kinesisaggs.app.commands.ProduceCommand;
import dev.kinesisaggs.app.commands.TestCommands;
import dev.kinesisaggs.app.pipeline.StreamReadBack.Contents;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Issue 6's check: trips sent through {@code produce} (KPL-aggregated) and the pipeline ({@code consume}: our event
 * source mapping with our handler, 2 shards, TRIM_HORIZON, 5 s windows: the window's length is not what is tested
 * here) give, per vendor and window, exactly the sums computed independently from the stream ({@link StreamReadBack});
 * each clean trip is stored once; nothing is quarantined.
 *
 * <p>When all windows are closed is decided by the checkpoints, not by waiting: with tumbling windows the mapping
 * checkpoints a shard only after a window's final invoke succeeded, so a shard is done when its checkpoint is its
 * last record's sequence number. The last window of a shard has no later record to close it, so the mapping runs
 * with a 5 s idle grace (instead of 120 s), which closes it 5 s after its end.
 *
 * <p>The two tests run side by side (each mostly waits on its windows to close), each on a stream, tables and mapping of
 * its own.
 */
@Execution(ExecutionMode.CONCURRENT)
class PipelineEndToEndIT {
    private static final Duration WINDOW = Duration.ofSeconds(5);

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

    @Test
    void theWorkshopCsvGivesExactlyTheSumsReadBackFromTheStream() throws Exception {
        String csv = System.getProperty("kinesisaggs.tripsCsv");
        Assumptions.assumeTrue(csv != null && Files.isRegularFile(Path.of(csv)),
                "the workshop data set (system property kinesisaggs.tripsCsv) is not on this machine: " + csv);

        // 2,000 trips/s spreads the 39,396 trips over about 20 s, so over several 5 s windows; the function's DynamoDB
        // writes (the slowest part on the emulator) catch up after
        Result result = runPipeline("csv", List.of("--csv", csv, "--rate", "2000"));

        assertThat(result.contents().trips()).hasSize(39_396);
        assertThat(result.contents().trips().stream().filter(t -> !t.hasGoogleFields()).count())
                .as("rows with empty Google fields, sent as clean trips").isEqualTo(559);
        assertThat(result.tripsWithoutGoogleFields()).as("stored trips without Google fields").isEqualTo(559);
        assertThat(result.sums().keySet().stream().map(WindowKey::windowStart).distinct().count())
                .as("windows").isGreaterThanOrEqualTo(3);
    }

    @Test
    void fiveThousandSyntheticTripsGiveExactlyTheSumsReadBackFromTheStream() throws Exception {
        Result result = runPipeline("synthetic", List.of("--seed", "42", "--max-trips", "5000", "--rate", "500"));

        assertThat(result.contents().trips()).hasSize(5_000);
        assertThat(result.sums().keySet().stream().map(WindowKey::windowStart).distinct().count())
                .as("windows").isGreaterThanOrEqualTo(2);
    }

    private record Result(Contents contents, Map<WindowKey, Sums> sums, long tripsWithoutGoogleFields) {
    }

    private Result runPipeline(String name, List<String> source) throws Exception {
        Instant began = Instant.now();
        String stream = "e2e-" + name;
        TableNames tables = new TableNames("aggs-" + name, "trips-" + name, "rejects-" + name);
        String mappingId = "e2e-" + name;
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
        Tables.createIfMissing(dynamo, tables);
        AwsClients clients = AwsClients.local(aws.clients());

        CountDownLatch stopConsumer = new CountDownLatch(1);
        StringWriter consumeOut = new StringWriter();
        CommandLine consume = TestCommands.command(new ConsumeCommand(stopConsumer::await, clients, Clock.systemUTC()), consumeOut);
        CompletableFuture<Integer> consuming = CompletableFuture.supplyAsync(() -> consume.execute(
                "--stream", stream, "--table", tables.aggregates(), "--trips-table", tables.trips(),
                "--rejects-table", tables.rejects(), "--mapping-id", mappingId,
                "--starting-position", "TRIM_HORIZON", "--window", WINDOW.toSeconds() + "s", "--batching-window", "1s", "--idle-grace", "5s",
                "--status-every", "30s", "--function-log", temp.resolve("function.log").toString()));

        StringWriter produceOut = new StringWriter();
        CommandLine produce = TestCommands.command(new ProduceCommand(() -> new CountDownLatch(1).await(), clients), produceOut);
        List<String> produceArgs = new java.util.ArrayList<>(List.of("--stream", stream, "--progress-every", "10s"));
        produceArgs.addAll(source);
        int produced = produce.execute(produceArgs.toArray(String[]::new));
        assertThat(produced).as("produce exit code; output:%n%s", produceOut).isZero();
        assertThat(produceOut.toString()).contains("done, ").contains("0 trips failed");
        Instant producedAt = Instant.now();

        Contents contents = StreamReadBack.read(kinesis, stream);
        assertThat(contents.notObjects()).as("user records that are not JSON objects").isZero();
        Map<WindowKey, Sums> expected = contents.sumsByVendorAndWindow(WINDOW);

        DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamo, TripPipeline.CHECKPOINT_TABLE, Clock.systemUTC());
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2))
                .failFast("the consumer stopped", consuming::isDone)
                .until(() -> contents.lastSequenceNumbers().entrySet().stream().allMatch(shard ->
                        checkpoints.loadByName(mappingId, shard.getKey()).map(Checkpoint::stored).equals(Optional.of(shard.getValue()))));
        Instant doneAt = Instant.now();

        StreamReadBack.assertSameSums(AggregateTable.read(dynamo, tables.aggregates()), expected);
        assertThat(count(tables.trips(), null)).as("trips stored").isEqualTo(contents.trips().size());
        assertThat(contents.trips().stream().map(StreamReadBack.ReadTrip::id).distinct().count())
                .as("distinct trip ids on the stream").isEqualTo(contents.trips().size());
        assertThat(count(tables.rejects(), null)).as("records quarantined").isZero();
        long withoutGoogle = count(tables.trips(), "attribute_not_exists(googleDistance) OR attribute_not_exists(googleDuration)");

        stopConsumer.countDown();
        assertThat(consuming.get(90, TimeUnit.SECONDS)).as("consume exit code; output:%n%s", consumeOut).isZero();
        assertThat(consumeOut.toString()).contains("Stopped consuming; the checkpoints are saved.");

        // started again under the same mapping: it says it resumes (found by probing: it read nothing, silently), and
        // counts nothing again
        StringWriter againOut = new StringWriter();
        CommandLine again = TestCommands.command(new ConsumeCommand(() -> new CountDownLatch(1).await(), clients, Clock.systemUTC()),
                againOut);
        assertThat(again.execute("--stream", stream, "--table", tables.aggregates(), "--trips-table", tables.trips(),
                "--rejects-table", tables.rejects(), "--mapping-id", mappingId, "--starting-position", "TRIM_HORIZON",
                "--window", WINDOW.toSeconds() + "s", "--duration", "2s", "--function-log", temp.resolve("again.log").toString()))
                .as("exit code; output:%n%s", againOut).isZero();
        assertThat(againOut.toString()).contains("Resuming 2 shards from the checkpoints saved as mapping " + mappingId
                + ", not from --starting-position TRIM_HORIZON (another --mapping-id starts afresh).");
        // and it read nothing: from TRIM_HORIZON it would have read every record again
        assertThat(againOut.toString().lines().filter(l -> l.startsWith("shardId-"))).as("status lines:%n%s", againOut)
                .isNotEmpty().allSatisfy(l -> assertThat(l).contains(" recordsIn=0 "));
        System.out.printf("%s: %,d trips in %,d Kinesis records, %d vendor-windows; produced in %d s, all windows closed"
                        + " %d s later, %d s in all%n", name, contents.trips().size(), contents.kinesisRecords(), expected.size(),
                Duration.between(began, producedAt).toSeconds(), Duration.between(producedAt, doneAt).toSeconds(),
                Duration.between(began, Instant.now()).toSeconds());
        return new Result(contents, expected, withoutGoogle);
    }

    private static long count(String table, String filter) {
        long count = 0;
        ScanRequest.Builder request = ScanRequest.builder().tableName(table).select("COUNT");
        if (filter != null) {
            request.filterExpression(filter);
        }
        for (ScanResponse page : dynamo.scanPaginator(request.build())) {
            count += page.count();
        }
        return count;
    }
}
