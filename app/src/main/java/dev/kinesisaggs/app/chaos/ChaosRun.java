package dev.kinesisaggs.app.chaos;

import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.TimeRange;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import dev.kinesisaggs.app.pipeline.PipelineFunction;
import dev.kinesisaggs.app.pipeline.TripPipeline;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.esm.redrive.FailureRecord;
import dev.kinesisaggs.esm.redrive.FailureRecordSource;
import dev.kinesisaggs.esm.redrive.WindowRedrive;
import dev.kinesisaggs.function.storage.TripClaims;
import dev.kinesisaggs.function.tables.RejectItems;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.LocalAwsOptions;
import dev.kinesisaggs.localaws.faults.DynamoDbFaultProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * One seed of a chaos run: emulators of its own (their data on disk, so they can be restarted), DynamoDB behind a
 * {@link DynamoDbFaultProxy}, the traffic of {@link ChaosTraffic}, our event source mapping with the function in a process of
 * its own ({@link MappingProcess}: stopped, and killed with {@code kill -9}, while the traffic runs), and
 * faults drawn from the seed while it runs (see {@code kinesis-aggs chaos}, {@code commands.ChaosCommand}); then, with every fault healed and every shard at
 * its last record, the tables compared with {@link StreamOracle}.
 */
public final class ChaosRun {

    /** The tables each seed's function writes, on emulators of its own. */
    public static final TableNames TABLES = new TableNames("chaosAggs", "chaosTrips", "chaosRejects");

    static final String STREAM = "chaos";
    static final String MAPPING_ID = "chaos";
    static final int SHARDS = 2;

    /** The verdict: the differences found (none when it passed), and what was done. */
    public record Verdict(long seed, List<String> differences, String summary) {
        public boolean passed() {
            return differences.isEmpty();
        }
    }

    private final long seed;
    private final int trips;
    private final int windowSeconds;
    private final List<String> functionArguments;
    private final Optional<Path> functionLog;
    private final boolean verbose;
    private final Clock clock;

    /**
     * @param functionArguments the command's function options, for the mapping's process and the redrive
     * @param functionLog       where the function's log is appended, if anywhere
     * @param verbose           the mapping's process logs what it does, not only what goes wrong
     */
    public ChaosRun(long seed, int trips, int windowSeconds, List<String> functionArguments, Optional<Path> functionLog, boolean verbose,
             Clock clock) {
        this.seed = seed;
        this.trips = trips;
        this.windowSeconds = windowSeconds;
        this.functionArguments = List.copyOf(functionArguments);
        this.functionLog = functionLog;
        this.verbose = verbose;
        this.clock = clock;
    }

    public Verdict run() throws Exception {
        Random random = new Random(seed);
        Path data = Files.createTempDirectory("kinesis-aggs-chaos-" + seed + "-");
        LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data));
        int kinesisPort = aws.kinesisEndpoint().getPort();
        int dynamoPort = aws.dynamoDbEndpoint().getPort();
        DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(aws.dynamoDbEndpoint());
        ChaosFaults faults = new ChaosFaults(random, proxy);
        List<String> done = new ArrayList<>();
        Instant began = clock.instant();
        MappingProcess[] mapping = {null};
        try (KinesisClient kinesis = aws.clients().newKinesisClient(); DynamoDbClient dynamo = aws.clients().newDynamoDbClient()) {
            kinesis.createStream(b -> b.streamName(STREAM).shardCount(SHARDS));
            LocalAwsClients.awaitStreamActive(kinesis, STREAM);
            TableNames tables = TABLES;
            Tables.createIfMissing(dynamo, tables);
            boolean givesUp = random.nextBoolean();
            Path destination = data.resolve("on-failure.jsonl");
            // the lab's unlimited retries, or two: then batches are given up under the outages, to the destination, and
            // redriven once the faults heal (the oracle must hold all the same)
            MappingSettings settings = new MappingSettings(STREAM, aws.kinesisEndpoint(), aws.clients().cborEnabled(),
                    aws.dynamoDbEndpoint(), proxy.endpoint(), tables, new int[] {7, 50, 200, 1000}[random.nextInt(4)], random.nextInt(2),
                    windowSeconds, givesUp ? 2 : -1, givesUp ? Optional.of(destination) : Optional.empty(),
                    Duration.ofSeconds(givesUp ? 4 : 20), functionArguments, functionLog);
            Path settingsFile = data.resolve("mapping.properties");
            settings.write(settingsFile);
            done.add("batch size " + settings.batchSize() + ", batching window " + settings.batchingWindowSeconds() + " s");
            DynamoDbCheckpointStore checkpoints = new DynamoDbCheckpointStore(dynamo, TripPipeline.CHECKPOINT_TABLE, clock);

            faults.start();
            mapping[0] = MappingProcess.start(settingsFile, verbose, seed);
            int stopAfterChunk = random.nextInt(8);
            int killMappingAfterChunk = random.nextInt(8);
            int killEnvironmentAfterChunk = 3 + random.nextInt(5);
            int outageAfterChunk = givesUp ? 1 + random.nextInt(4) : -1;
            int[] chunk = {0};
            ChaosTraffic.Sent sent = ChaosTraffic.send(kinesis, STREAM, seed, trips, random, () -> {
                if (chunk[0] == outageAfterChunk) {
                    faults.longOutage(Duration.ofSeconds(15));
                }
                if (chunk[0] == killEnvironmentAfterChunk) {
                    faults.killAnExecutionEnvironment();
                }
                if (chunk[0] == stopAfterChunk) {
                    // the mapping stopped (SIGTERM) and started again: it resumes from its checkpoints
                    mapping[0] = restart(mapping[0], false, settingsFile);
                    done.add("mapping stopped and started");
                }
                if (chunk[0] == killMappingAfterChunk) {
                    // kill -9: whatever was in flight is lost, and the new process must resume exactly all the same
                    mapping[0] = restart(mapping[0], true, settingsFile);
                    done.add("mapping killed (kill -9) and started");
                }
                chunk[0]++;
                ChaosTraffic.sleep(300 + random.nextInt(700));
            });
            if (chunk[0] <= killMappingAfterChunk) {
                mapping[0] = restart(mapping[0], true, settingsFile);
                done.add("mapping killed (kill -9) and started");
            }
            faults.killAnExecutionEnvironment(); // again, should none have run at the first try
            // the emulators restarted with their data kept, under the running mapping's feet
            aws.close();
            aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data).withKinesisPort(kinesisPort).withDynamoDbPort(dynamoPort));
            done.add("emulators restarted");

            StreamOracle.Expected expected = StreamOracle.read(kinesis, STREAM, windowSeconds, BadInput.kinds("b" + seed + "-"),
                    Optional.empty());
            // the faults go on a little while the mapping works through the stream, then heal: every shard must then
            // reach its last record
            ChaosTraffic.sleep(3000 + random.nextInt(5000));
            faults.stop();
            boolean finished = awaitCheckpoints(checkpoints, expected.lastSequence(), Duration.ofMinutes(3));
            mapping[0].close();
            done.addAll(faults.done());
            if (givesUp && Files.exists(destination)) {
                done.add(redrive(kinesis, settings, destination));
                // which occurrence of a trip put twice counted it now depends on which batches were given up (see
                // StreamOracle): the claims in the trips table say, and must name one of its occurrences
                expected = StreamOracle.read(kinesis, STREAM, windowSeconds, BadInput.kinds("b" + seed + "-"), Optional.of(claims(dynamo, tables)));
            } else if (givesUp) {
                done.add("retries limited to 2, no batch given up");
            }
            List<String> differences = new ArrayList<>();
            if (!finished) {
                differences.add("the shards did not reach their last records: " + blocked(checkpoints, expected.lastSequence()));
            }
            compare(dynamo, tables, expected, differences);
            String summary = sent.cleanTrips() + " trips, " + sent.badKinds() + " kinds of bad input, " + expected.userRecords()
                    + " user records in " + sent.kinesisRecords() + " Kinesis records (" + sent.repeatedRecords()
                    + " put twice), " + expected.sums().keySet().stream().map(StreamOracle.Key::windowStart).distinct().count()
                    + " windows; " + String.join(", ", done) + "; " + Duration.between(began, clock.instant()).toSeconds() + " s";
            return new Verdict(seed, differences, summary);
        } finally {
            // each step whatever the one before did: nothing of the seed may outlive it
            try {
                if (mapping[0] != null) {
                    mapping[0].kill();
                }
            } finally {
                try {
                    faults.stop();
                    proxy.close();
                } finally {
                    try {
                        aws.close();
                    } finally {
                        deleteTree(data);
                    }
                }
            }
        }
    }

    /**
     * Delivers again, from the stream, every shard window whose batches the mapping gave up, as {@code kinesis-aggs
     * redrive} does; says how many, or why one failed (the comparison then shows what is missing).
     */
    private String redrive(KinesisClient kinesis, MappingSettings settings, Path destination) throws IOException {
        List<FailureRecord> records = FailureRecordSource.file(destination).read().stream()
                .map(FailureRecordSource.Pending::record).filter(Objects::nonNull).toList();
        List<String> failures = new ArrayList<>();
        try (PrintStream log = settings.openFunctionLog(); DynamoDbClient throughProxy = settings.clientThroughProxy();
             PipelineFunction.OwnInvoker invoker = settings.function(throughProxy, log, clock).invoker(Duration.ofSeconds(20), clock)) {
            WindowRedrive redrive = new WindowRedrive(kinesis, invoker, LocalAwsClients.REGION.id(),
                    "arn:aws:iam::000000000000:role/chaos", windowSeconds, 1000);
            for (WindowRedrive.ShardWindow window : redrive.byWindow(records, Optional.of(STREAM)).keySet()) {
                WindowRedrive.Read read = redrive.read(window);
                if (read instanceof WindowRedrive.Records held) {
                    redrive.deliver(window, held.records()).failure().ifPresent(f -> failures.add(window + ": " + f));
                } else if (read instanceof WindowRedrive.NoSuchShard gone) {
                    failures.add(window + ": " + gone.reason());
                }
            }
        }
        return records.size() + " batches given up and redriven" + (failures.isEmpty() ? "" : " (not all: " + failures + ")");
    }

    /** Ends the mapping's process, by {@code kill -9} or by {@code SIGTERM}, and starts another on the same settings. */
    private MappingProcess restart(MappingProcess mapping, boolean kill, Path settings) {
        try {
            if (kill) {
                mapping.kill();
            } else {
                mapping.stop();
            }
            return MappingProcess.start(settings, verbose, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the mapping", e);
        }
    }

    /** Each stored trip's claiming occurrence, by trip id. */
    private static Map<String, String> claims(DynamoDbClient dynamo, TableNames tables) {
        Map<String, String> claims = new HashMap<>();
        for (ScanResponse page : dynamo.scanPaginator(ScanRequest.builder().tableName(tables.trips()).consistentRead(true).build())) {
            page.items().forEach(item -> claims.put(item.get(Tables.TRIP_ID).s(), item.get(TripClaims.OCCURRENCE).s()));
        }
        return claims;
    }

    private boolean awaitCheckpoints(DynamoDbCheckpointStore checkpoints, Map<String, String> last, Duration atMost) {
        Instant deadline = clock.instant().plus(atMost);
        while (clock.instant().isBefore(deadline)) {
            if (blocked(checkpoints, last).isEmpty()) {
                return true;
            }
            ChaosTraffic.sleep(500);
        }
        return false;
    }

    /** The shards whose checkpoint is not their last record yet, with where they are. */
    private static Map<String, String> blocked(DynamoDbCheckpointStore checkpoints, Map<String, String> last) {
        Map<String, String> blocked = new TreeMap<>();
        last.forEach((shard, seq) -> {
            Optional<String> at;
            try {
                at = checkpoints.loadByName(MAPPING_ID, shard).map(Checkpoint::stored);
            } catch (RuntimeException unreachable) {
                at = Optional.of("(unreadable: " + unreachable.getMessage() + ")");
            }
            if (!at.equals(Optional.of(seq))) {
                blocked.put(shard, at.orElse("no checkpoint"));
            }
        });
        return blocked;
    }

    private void compare(DynamoDbClient dynamo, TableNames tables, StreamOracle.Expected expected, List<String> differences) {
        AggregatesQuery.Result result = new AggregatesQuery(dynamo, tables.aggregates()).read(TimeRange.ALL, Set.of(), Integer.MAX_VALUE);
        Map<StreamOracle.Key, StreamOracle.Sums> found = new TreeMap<>();
        for (WindowAggregate w : result.windows()) {
            found.put(new StreamOracle.Key(w.windowStart().toString(), w.vendorId()), new StreamOracle.Sums(w.passengers(), w.trips(),
                    w.distance().orElseThrow().movePointRight(6).longValueExact(), w.duration().orElseThrow().longValueExact()));
        }
        Set<StreamOracle.Key> keys = new java.util.TreeSet<>(found.keySet());
        keys.addAll(expected.sums().keySet());
        for (StreamOracle.Key k : keys) {
            StreamOracle.Sums want = expected.sums().get(k);
            StreamOracle.Sums got = found.get(k);
            if (want == null || !want.equals(got)) {
                differences.add("window " + k.windowStart() + " vendor " + k.vendorId() + ": expected " + want + ", found " + got);
            }
        }
        if (!result.incompleteWindows().isEmpty()) {
            differences.add("windows not complete: " + result.incompleteWindows());
        }
        // the reader skips what is not an aggregate; here only the function writes the table, so any such item is its fault
        if (result.skipped().count() > 0) {
            differences.add(result.skipped().count() + " items of the aggregates table are not window aggregates, e.g. "
                    + result.skipped().example().map(n -> n.key() + ": " + n.reason()).orElse("?"));
        }
        if (!result.rejected().equals(expected.rejected())) {
            differences.add("user records left out per window: expected " + expected.rejected() + ", found " + new TreeMap<>(result.rejected()));
        }
        List<String> ids = new ArrayList<>();
        List<String> unlike = new ArrayList<>();
        for (ScanResponse page : dynamo.scanPaginator(ScanRequest.builder().tableName(tables.trips()).consistentRead(true).build())) {
            for (Map<String, AttributeValue> item : page.items()) {
                String id = item.get(Tables.TRIP_ID).s();
                ids.add(id);
                StreamOracle.CleanTrip want = expected.cleanTrips().get(id);
                List<String> off = want == null ? List.of() : StoredTrips.differences(item, want);
                if (!off.isEmpty()) {
                    unlike.add(id + ": " + String.join(", ", off));
                }
            }
        }
        if (ids.size() != new HashSet<>(ids).size() || !new HashSet<>(ids).equals(expected.cleanTrips().keySet())) {
            differences.add("trips stored: " + ids.size() + " items of " + new HashSet<>(ids).size() + " ids, expected each of "
                    + expected.cleanTrips().size() + " once");
        }
        if (!unlike.isEmpty()) {
            differences.add(unlike.size() + " stored trips unlike the stream's, e.g. " + unlike.get(0));
        }
        Map<String, Long> reasons = new TreeMap<>();
        int items = 0;
        for (ScanResponse page : dynamo.scanPaginator(ScanRequest.builder().tableName(tables.rejects()).consistentRead(true).build())) {
            for (Map<String, AttributeValue> item : page.items()) {
                items++;
                item.get(RejectItems.REASONS).m().forEach((reason, n) -> reasons.merge(reason, Long.parseLong(n.n()), Long::sum));
            }
        }
        if (!reasons.equals(expected.reasons())) {
            differences.add("quarantined per reason: expected " + expected.reasons() + ", found " + reasons);
        }
        if (items != expected.badRecords()) {
            differences.add("quarantine items: expected one for each of " + expected.badRecords() + " Kinesis records, found " + items);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
