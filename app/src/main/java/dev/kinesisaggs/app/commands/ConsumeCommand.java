package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.AwsErrors;
import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.RunLoop;
import dev.kinesisaggs.app.StopSignal;
import dev.kinesisaggs.app.StopWaiter;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.app.pipeline.FunctionFailures;
import dev.kinesisaggs.app.pipeline.EngineLog;
import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.app.pipeline.PipelineFunction;
import dev.kinesisaggs.app.pipeline.TripPipeline;
import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.destination.S3Destination;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code kinesis-aggs consume}: our Lambda handler behind our local event source mapping, on a stream. */
@Command(name = "consume",
        header = "Runs the local event source mapping with the kinesis-aggs function on a stream.", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the local event source mapping with the kinesis-aggs function on a stream until Ctrl-C, "
            + "with the lab's settings: batch size 1000, batching window 120 s, LATEST, tumbling window 30 s, "
            + "function timeout 60 s, ReportBatchItemFailures; each can be changed with its option, named after AWS's "
            + "setting or as the AWS CLI's create-event-source-mapping names it (--window or --tumbling-window-in-seconds). "
            + "Checkpoints are kept in DynamoDB, so a restart resumes where it stopped. Endpoints, region and "
            + "credentials are the SDK's (the variables printed by 'kinesis-aggs local' for the emulators), or "
            + "--endpoint-url and --region as the AWS CLI takes them.",
        footer = {"", "Examples:",
            "  ./kinesis-aggs consume",
            "  ./kinesis-aggs consume --window 10s --batching-window 1s \\",
            "      --starting-position TRIM_HORIZON"})
public final class ConsumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--stream", paramLabel = "NAME", converter = AwsNames.Stream.class, defaultValue = "taxi-trips", description = "The stream (default: ${DEFAULT-VALUE}).")
    String stream;

    @Mixin
    MappingOptions mapping;

    @Mixin
    FunctionOptions function;

    @Mixin
    TableOptions tables;

    @Mixin
    EndpointOptions endpoint;

    @Option(names = "--create-tables", description = "Create the tables that are missing (kinesis-aggs local creates them already).")
    boolean createTables;

    @Option(names = "--checkpoint-table", paramLabel = "NAME", converter = AwsNames.RequiredTable.class, defaultValue = TripPipeline.CHECKPOINT_TABLE,
            description = "Checkpoint table, created when missing (default: ${DEFAULT-VALUE}).")
    String checkpointTable;

    @Option(names = "--mapping-id", paramLabel = "ID",
            description = "Names the checkpoints: keep it stable to resume (default: kinesis-aggs-STREAM). One consume at a"
                    + " time runs a mapping, as AWS runs it once: a second one of the same stream, function and id is refused.")
    String mappingId;

    @Option(names = "--status-every", paramLabel = "DURATION", converter = Durations.Interval.class, defaultValue = "10s",
            description = "How often to print one status line per shard (default: ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Option(names = "--function-log", paramLabel = "FILE",
            description = "Write the function's log (its output, one JSON line per invocation for ours, and Lambda's START, END and"
                    + " REPORT lines) to FILE instead of the standard output.")
    Path functionLog;

    @Option(names = "--verbose", description = "Also print the mapping's informational log (where each shard starts, each window closed);"
            + " its warnings are printed without it.")
    boolean verbose;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.RunFor.class,
            description = "Stop after this long; default: until Ctrl-C.")
    Duration duration;

    private final StopSignal stopSignal;
    private final AwsClients clients;
    private final Clock clock;

    public ConsumeCommand(StopSignal stopSignal, AwsClients clients, Clock clock) {
        this.stopSignal = stopSignal;
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        EventSourceMappingConfig config = config();
        TableNames tables = this.tables.names();
        try {
            function.check(tables); // before any client: a bad handler is the user's to fix whatever the region
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream log = functionLog(functionLog);
        AwsClients clients = clients();
        try (EngineLog engineLog = EngineLog.warningsUnless(verbose);
             KinesisClient kinesis = clients.kinesis(); DynamoDbClient dynamo = clients.dynamoDb();
             // an on-failure queue where --endpoint-url and --region say; without them the mapping makes its own client
             // from the SDK's configuration, for a queue only (a file destination then needs no region)
             SqsClient sqs = config.onFailureDestination().isPresent() && !endpoint.none() ? clients.sqs() : null;
             S3Client s3 = config.onFailureDestination().filter(S3Destination::isBucketArn).isPresent() && !endpoint.none() ? clients.s3() : null) {
            PipelineFunction chosen;
            try {
                chosen = PipelineFunction.resolve(function, tables, clients.functionTarget(), dynamo, log, clock, System.err);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (function.ours()) {
                prepareTables(dynamo, tables);
            }
            // said only while the mapping runs: the JVM's exit after a refusal at the start also signals the stop (found by
            // a probe: "Stopping: ..." after the error that ended the command)
            AtomicBoolean consuming = new AtomicBoolean();
            StopWaiter stop = StopWaiter.start(stopSignal, () -> {
                if (consuming.get()) {
                    out.println("Stopping: an invocation in flight gets up to " + STOP_GRACE.toSeconds() + " s to finish; one still"
                            + " running then is cut, and its records are delivered again at the next start.");
                    out.flush();
                }
            });
            EventSourceMapping built;
            try {
                built = TripPipeline.mapping(kinesis, dynamo, sqs, s3, stream, config, checkpointTable, chosen, clock,
                        new FunctionFailures(out, functionLog == null ? "(above)" : "(" + functionLog + ")"));
            } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
                // e.g. the SQS queue or S3 bucket named by --destination does not exist, cannot be reached, or its ARN is malformed;
                // the function's artifact cannot be unpacked
                throw new UserError(e.getMessage());
            }
            try (EventSourceMapping esm = built) {
                boolean started;
                try {
                    started = stop.runInterruptibly(esm::start);
                } catch (IllegalStateException e) {
                    throw new UserError(e.getMessage());
                }
                if (!started) {
                    out.println("Stopped before the mapping started: nothing was delivered.");
                    out.flush();
                    return 0;
                }
                if (!esm.shardsResumed().isEmpty()) {
                    out.println(resuming(esm.shardsResumed().size(), config));
                }
                out.println("Consuming " + stream + " with " + describe(config) + "; checkpoints in " + checkpointTable
                        + " as " + config.mappingId() + " (Ctrl-C to stop).");
                out.println("Function: " + chosen.describe() + (functionLog == null ? "" : "; its log: " + functionLog) + ".");
                out.flush();
                consuming.set(true);
                try {
                    new RunLoop(stop).run(statusEvery, duration, () -> {
                        printStatus(out, esm);
                        return esm.stoppedBecause().isEmpty();
                    });
                    esm.close(STOP_GRACE);
                } finally {
                    consuming.set(false);
                }
                printStatus(out, esm);
                if (esm.stoppedBecause().isPresent()) {
                    throw new UserError(esm.stoppedBecause().get());
                }
            }
            List<String> unsaved = built.shardsWithUnsavedCheckpoints();
            if (!unsaved.isEmpty()) {
                out.println("Stopped consuming; the last checkpoints of " + String.join(", ", unsaved) + " could not be saved (see the"
                        + " warnings above): the next start delivers their records since the last saved ones again.");
                out.flush();
                return 1;
            }
            out.println("Stopped consuming; the checkpoints are saved.");
            out.flush();
            return 0;
        } catch (SdkClientException e) {
            throw AwsErrors.cannotReach("Kinesis or DynamoDB", e);
        } finally {
            if (functionLog != null) {
                log.close();
            }
            stopSignal.stopped();
        }
    }

    /** The function's log: standard output, or the file given (appended to; one sentence when it cannot be written). */
    private static PrintStream functionLog(Path file) {
        if (file == null) {
            return System.out;
        }
        try {
            return new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("Cannot write the function log " + file + " (" + e.getMessage() + "): name a file you can write.");
        }
    }

    /** Where the clients go: {@code --endpoint-url} and {@code --region} over the ones this command was given. */
    AwsClients clients() {
        return clients.at(endpoint);
    }

    /** The mapping's settings, as the options give them (package-private: tests read them as the command runs them). */
    EventSourceMappingConfig config() {
        EventSourceMappingConfig config;
        try {
            config = mapping.toConfig(mappingId == null ? "kinesis-aggs-" + stream : mappingId, MappingDefaults.LAB);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!config.hasTumblingWindow() && function.ours()) {
            throw new ParameterException(spec.commandLine(),
                    "--window must be at least 1 s: the kinesis-aggs function aggregates per tumbling window");
        }
        // Kinesis refuses an AT_TIMESTAMP iterator in the future: the mapping would retry it for ever
        config.startingPositionTimestamp().filter(t -> t.isAfter(clock.instant())).ifPresent(t -> {
            throw new ParameterException(spec.commandLine(), "--starting-position-timestamp " + t + " is in the future:"
                    + " Kinesis starts AT_TIMESTAMP iterators at a time that has passed (LATEST reads from now on)");
        });
        return config;
    }

    /**
     * On a stop, how long the invocations in flight get to finish: half of what the JVM's shutdown on Ctrl-C waits for
     * the command (the function timeout, 60 s by default, would outlast it, and the JVM would halt with nothing said and
     * the environments' files left); the other half closes the environments and says what was saved. The same at the
     * end of --duration, during which a Ctrl-C may come too.
     */
    static final Duration STOP_GRACE = StopSignal.SHUTDOWN_WAIT.dividedBy(2);
    /** What to do about a table of another key, whether it came from a stack, from local or from an earlier --create-tables. */
    private static final String ANOTHER_KEY_REMEDY = ": name the table of that role (--table, --trips-table, --rejects-table),"
            + " or a new one with --create-tables.";

    private void prepareTables(DynamoDbClient dynamo, TableNames tables) {
        if (createTables) {
            try {
                Tables.createIfMissing(dynamo, tables);
            } catch (IllegalArgumentException anotherKey) {
                throw new UserError(anotherKey.getMessage() + ANOTHER_KEY_REMEDY);
            }
            return;
        }
        for (var definition : Tables.definitions(tables)) {
            TableDescription existing = Tables.describe(dynamo, definition.tableName()).orElseThrow(() -> new UserError("The table "
                    + definition.tableName() + " does not exist: create it (kinesis-aggs local, the SAM stack, or --create-tables),"
                    + " or name another one."));
            Tables.keyProblem(definition, existing).ifPresent(problem -> {
                throw new UserError(problem + ANOTHER_KEY_REMEDY);
            });
        }
    }

    static void printStatus(PrintWriter out, EventSourceMapping esm) {
        for (ShardStatus shard : esm.status().shards()) {
            out.println(shard.toLogLine());
        }
        out.flush();
    }

    /** Why a mapping started again reads from where it was, not from its starting position. */
    static String resuming(int shards, EventSourceMappingConfig c) {
        return "Resuming " + shards + (shards == 1 ? " shard" : " shards") + " from the checkpoints saved as mapping "
                + c.mappingId() + ", not from --starting-position " + c.startingPosition() + " (another --mapping-id starts"
                + " afresh).";
    }

    /** The settings in AWS's words, for the first line of output. */
    static String describe(EventSourceMappingConfig c) {
        return "batch size " + c.batchSize() + ", batching window " + c.maximumBatchingWindowInSeconds() + " s, "
                + c.startingPosition() + ", tumbling window " + c.tumblingWindowInSeconds() + " s, function timeout "
                + c.functionTimeout().toSeconds() + " s" + (c.reportBatchItemFailures() ? ", ReportBatchItemFailures" : "")
                + (c.bisectBatchOnFunctionError() ? ", bisect" : "")
                + (c.maximumRetryAttempts() >= 0 ? ", at most " + c.maximumRetryAttempts() + " retries" : "")
                + (c.maximumRecordAgeInSeconds() >= 0 ? ", records older than " + c.maximumRecordAgeInSeconds() + " s discarded" : "")
                + c.onFailureDestination().map(d -> ", failures to " + d).orElse("");
    }
}
