package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.LocalStream;
import dev.kinesisaggs.app.RunLoop;
import dev.kinesisaggs.app.StopSignal;
import dev.kinesisaggs.app.StopWaiter;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.dashboard.ChartJs;
import dev.kinesisaggs.app.dashboard.DashboardOptions;
import dev.kinesisaggs.app.dashboard.DashboardServer;
import dev.kinesisaggs.app.dashboard.RejectCountsQuery;
import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.app.pipeline.BackgroundProducer;
import dev.kinesisaggs.app.pipeline.DemoDataDirectory;
import dev.kinesisaggs.app.pipeline.DemoFunctionLogs;
import dev.kinesisaggs.app.pipeline.EngineLog;
import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.app.pipeline.MappingLagSource;
import dev.kinesisaggs.app.pipeline.PipelineFunction;
import dev.kinesisaggs.app.pipeline.TripPipeline;
import dev.kinesisaggs.app.pipeline.WindowPrinter;
import dev.kinesisaggs.app.soak.DemoProcesses;
import dev.kinesisaggs.app.soak.MemoryReport;
import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.metrics.MappingStatus;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.localaws.KinesisEmulator;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsException;
import dev.kinesisaggs.localaws.LocalAwsOptions;
import dev.kinesisaggs.producer.Producer;
import dev.kinesisaggs.producer.ProducerListener;
import dev.kinesisaggs.producer.ProducerOptions;
import dev.kinesisaggs.producer.ProducerProgress;
import dev.kinesisaggs.producer.source.SyntheticTripSource;
import dev.kinesisaggs.producer.source.UncleanMix;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * {@code kinesis-aggs demo}: the whole pipeline on this machine with one command: emulators, stream,
 * tables, our event source mapping with our handler, a producer of synthetic trips, the windows as they
 * land, and the dashboard.
 */
@Command(name = "demo",
        header = "The whole pipeline on this machine, with the windows as they land and the dashboard.", mixinStandardHelpOptions = true,
        description = "The whole pipeline on this machine: starts the emulators, creates the stream and the tables, "
            + "runs the local event source mapping with the kinesis-aggs function and a producer of synthetic trips, "
            + "prints each window's per-vendor aggregates as they land in DynamoDB and serves the dashboard, "
            + "until Ctrl-C or --duration. Its mapping: batch size 1000, batching window 1 s, TRIM_HORIZON, "
            + "tumbling window 30 s, function timeout 60 s, ReportBatchItemFailures. The batch size and the two "
            + "windows can be changed here (under our names or the AWS CLI's), the rest with kinesis-aggs consume.",
        footer = {"", "Examples:", "  ./kinesis-aggs demo", "  ./kinesis-aggs demo --window 10s --rate 100 --duration 5m",
            "  ./kinesis-aggs demo --tumbling-window-in-seconds 10 --batch-size 100"})
public final class DemoCommand implements Callable<Integer> {
    static final String STREAM = "taxi-trips";
    static final TableNames TABLES = TableNames.defaults();
    /**
     * The demo's batching window. The lab's 120 s would hold every batch, and so the first aggregates, back by two
     * minutes; 1 s keeps the table within seconds of the stream.
     */
    static final Duration DEMO_BATCHING_WINDOW = Duration.ofSeconds(1);
    /**
     * The lab's settings but for the batching window, and TRIM_HORIZON so that trips sent before the mapping first
     * read a shard are not missed.
     */
    static final MappingDefaults DEMO_MAPPING = new MappingDefaults(MappingDefaults.LAB.batchSize(), DEMO_BATCHING_WINDOW,
            StartingPosition.TRIM_HORIZON, MappingDefaults.LAB.window(), MappingDefaults.LAB.functionTimeout(),
            MappingDefaults.LAB.idleGrace());

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", paramLabel = "TRIPS/S", defaultValue = "50",
            description = "Synthetic trips per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Mixin
    BatchingOptions batching;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "2", description = "Shards of the stream (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--unclean", paramLabel = "PERCENT", defaultValue = "2",
            description = "Share of the trips sent unclean, to show the quarantine at work: cut-off lines, fields left out or "
                + "mistyped, impossible values, numbers DynamoDB cannot store, trips put twice (default: ${DEFAULT-VALUE}; 0 for none).")
    double uncleanPercent;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the synthetic trips (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.RunFor.class,
            description = "Stop after this long (e.g. 90s, 30m); default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DashboardOptions.DEFAULT_PORT,
            description = "Dashboard port on loopback, 0 for any free one (default: ${DEFAULT-VALUE}; a free one if it is taken).")
    int port;

    @Option(names = "--status-every", paramLabel = "DURATION", converter = Durations.Interval.class, defaultValue = "30s",
            description = "How often to print a line on the producer and the mapping (default: ${DEFAULT-VALUE}).")
    Duration statusEvery;

    @Option(names = "--soak-every", paramLabel = "DURATION", converter = Durations.Interval.class,
            description = "Also print the resident memory of each process the demo runs this often (e.g. 1m), for soak runs.")
    Duration soakEvery;

    @Option(names = "--emulator-memory", paramLabel = "MB", defaultValue = "256",
            description = "An emulator whose own (anonymous resident) memory passes this is started again on its data, its "
                + "requests held meanwhile, so that a demo of days stays bounded (default: ${DEFAULT-VALUE}; 0 for never).")
    int emulatorMemoryMegabytes;

    /** Below this an emulator's working memory alone passes the bound (measured at 50 to 100 MB at 1,000 trips/s). */
    private static final int SMALLEST_EMULATOR_BOUND_MB = 64;

    @Mixin
    FunctionOptions function;

    @Option(names = "--kinesis-emulator", paramLabel = "NAME",
            description = "kinesalite (fast, the default) or kinesis-local (more faithful, much slower).")
    String kinesisEmulator;

    private final StopSignal stopSignal;
    private final Clock clock;

    public DemoCommand(StopSignal stopSignal, Clock clock) {
        this.stopSignal = stopSignal;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EventSourceMappingConfig config = config();
        ProducerOptions producerOptions = producerOptions();
        if (emulatorMemoryMegabytes != 0 && emulatorMemoryMegabytes < SMALLEST_EMULATOR_BOUND_MB) {
            throw new ParameterException(spec.commandLine(), "--emulator-memory takes at least " + SMALLEST_EMULATOR_BOUND_MB
                    + " megabytes (an emulator at work holds 50 to 100 MB, and one bounded below that would be started"
                    + " again every minute), or 0 for no bound, not " + emulatorMemoryMegabytes + ".");
        }
        LocalAwsOptions awsOptions = LocalAwsOptions.defaults().withKinesisPort(0).withDynamoDbPort(0)
                .withKinesisEmulator(emulator()).withMemoryBound(emulatorMemoryMegabytes);
        Instant started = clock.instant();
        out.println("Starting the Kinesis and DynamoDB emulators (the first run installs them with npm)...");
        out.flush();
        Path functionLogFile = DemoFunctionLogs.create();
        StopWaiter stop = StopWaiter.start(stopSignal, () -> { });
        try (EngineLog quiet = EngineLog.warningsUnless(false);
             DemoDataDirectory data = DemoDataDirectory.create();
             LocalAws aws = LocalAws.start(awsOptions.withDataDirectory(data.path()));
             PrintStream functionLog = new PrintStream(Files.newOutputStream(functionLogFile), true, StandardCharsets.UTF_8);
             KinesisClient kinesis = aws.clients().newKinesisClient();
             DynamoDbClient dynamo = aws.clients().newDynamoDbClient()) {
            data.deleteAtShutdownAfter(aws.pids().values());
            prepare(aws, kinesis, dynamo, data, config, out);
            PipelineFunction chosen = PipelineFunction.resolve(function, TABLES,
                    AwsClients.local(aws.clients()).functionTarget(), dynamo, functionLog, clock, System.err);
            out.println("Function: " + chosen.describe() + ".");
            boolean failed;
            try (EventSourceMapping esm = TripPipeline.mapping(kinesis, dynamo, STREAM, config,
                    TripPipeline.CHECKPOINT_TABLE, chosen, clock).start();
                 DashboardServer dashboard = dashboard(aws, dynamo, esm, spec.commandLine().getErr())) {
                out.println("Function log (its JSON line per invocation" + (chosen.underRuntimeClient() ? ", Lambda's START, END and REPORT lines" : "")
                        + "): " + functionLogFile
                        + " (kept after the demo, with those of the " + DemoFunctionLogs.KEPT + " demos before it)");
                out.println("Dashboard: " + dashboard.uri());
                BackgroundProducer producer = BackgroundProducer.start(Producer.create(kinesis,
                        () -> new UncleanMix(new SyntheticTripSource(seed), uncleanPercent / 100, seed), producerOptions,
                        ProducerListener.NONE));
                out.println("Producer: synthetic trips (seed " + seed + "), " + Numbers.plain(rate) + " trips/s, KPL-aggregated"
                        + (uncleanPercent == 0 ? "." : "; " + Numbers.plain(uncleanPercent) + " % of them unclean, which the function"
                        + " rejects and keeps in the " + TABLES.rejects() + " table (--unclean 0 for none)."));
                Duration window = Duration.ofSeconds(config.tumblingWindowInSeconds());
                out.println();
                out.println("Aggregates as each " + Durations.describe(window) + " window closes:");
                out.println(WindowPrinter.header());
                out.flush();
                WindowPrinter printer = new WindowPrinter(new AggregatesQuery(dynamo, TABLES.aggregates()), started.minus(window), out);
                Optional<MemoryReport> memory = Optional.ofNullable(soakEvery).map(every -> new MemoryReport(every, started,
                        new DemoProcesses(ProcessHandle.current()), data::bytesOnDisk, aws::memoryRestarts, out));
                aws.callerSaysUnexpectedExits(); // run says them
                failed = run(stop, started, new Watched(esm, producer, printer, memory, aws::unexpectedExits), quiet);
            }
            out.println("Stopped the mapping, the dashboard and the emulators.");
            out.flush();
            return failed ? 1 : 0;
        } finally {
            stopSignal.stopped();
        }
    }

    /**
     * What the demo watches while it runs.
     *
     * @param emulatorsGone the emulators that ended while in use and are not running again, one sentence each
     */
    private record Watched(EventSourceMapping esm, BackgroundProducer producer, WindowPrinter printer, Optional<MemoryReport> memory,
                           Supplier<List<String>> emulatorsGone) {
    }

    /** Creates the stream and the tables, and says what runs where. */
    private void prepare(LocalAws aws, KinesisClient kinesis, DynamoDbClient dynamo, DemoDataDirectory data,
            EventSourceMappingConfig config, PrintWriter out) {
        int openShards = LocalStream.createIfMissing(kinesis, STREAM, shards, clock);
        Tables.createIfMissing(dynamo, TABLES);
        out.println("Kinesis  (" + aws.kinesisEmulator().packageName() + ") at " + aws.kinesisEndpoint() + ": stream "
                + STREAM + " with " + openShards + (openShards == 1 ? " shard" : " shards"));
        out.println("DynamoDB (dynalite) at " + aws.dynamoDbEndpoint() + ": tables "
                + String.join(", ", Tables.definitions(TABLES).stream().map(t -> t.tableName()).toList()));
        out.println("  While it runs, from another shell: ./kinesis-aggs aggregates --endpoint-url " + aws.dynamoDbEndpoint() + " --from -15m");
        out.println("  and what the function kept aside, with its reasons: ./kinesis-aggs rejects --endpoint-url " + aws.dynamoDbEndpoint());
        out.println("Emulator data: on disk in " + data.path() + ", deleted at exit (in memory it would grow with every trip)"
                + (aws.boundsMemory() ? "; an emulator past " + emulatorMemoryMegabytes + " MB of memory is started again on"
                + " it (--emulator-memory)." : "."));
        out.println("Event source mapping: " + ConsumeCommand.describe(config) + ".");
        if (config.maximumBatchingWindowInSeconds() < MappingDefaults.LAB.batchingWindow().toSeconds()) {
            out.println("  The batching window is " + config.maximumBatchingWindowInSeconds() + " s instead of the lab's 120 s,"
                    + " which would hold the first aggregates back by two minutes.");
        }
        out.println("  TRIM_HORIZON instead of the lab's LATEST, so that trips sent before the mapping first read"
                + " a shard are not missed.");
    }

    /**
     * Prints the windows as they land, a status line every --status-every and the memory every --soak-every, until
     * Ctrl-C, --duration (counted from the demo's start) or a producer that failed; then stops the producer and
     * prints the last of it. True when it ended because the producer failed.
     */
    private boolean run(StopWaiter stop, Instant started, Watched w, EngineLog quiet) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunLoop loop = new RunLoop(stop);
        Instant[] nextStatus = {clock.instant().plus(statusEvery)};
        AtomicReference<Duration> firstAggregates = new AtomicReference<>();
        AtomicBoolean goneSaid = new AtomicBoolean();
        Duration left = duration == null ? null : duration.minus(Duration.between(started, clock.instant()));
        RunLoop.End end = loop.run(Duration.ofSeconds(1), left, () -> {
            try {
                if (w.printer().poll() > 0) {
                    firstAggregates.compareAndSet(null, Duration.between(started, clock.instant()));
                }
            } catch (SdkException e) {
                if (loop.signalled()) { // Ctrl-C came while reading, and the emulators are going
                    return false;
                }
                if (!w.emulatorsGone().get().isEmpty()) {
                    return stopsForAGoneEmulator(w, err, goneSaid);
                }
                throw e;
            }
            if (w.producer().failure().isPresent()) {
                if (!w.emulatorsGone().get().isEmpty()) {
                    return stopsForAGoneEmulator(w, err, goneSaid);
                }
                err.println("The producer stopped: " + w.producer().failure().get().getMessage());
                err.flush();
                return false;
            }
            if (!clock.instant().isBefore(nextStatus[0])) {
                out.println(status(w.producer().progress(), w.esm()));
                out.flush();
                nextStatus[0] = nextStatus[0].plus(statusEvery);
            }
            w.memory().ifPresent(m -> m.printIfDue(clock.instant(), w.producer().progress().send().sentTrips()));
            return true;
        });
        boolean signalled = loop.signalled();
        // a signal may be Ctrl-C or a SIGTERM (timeout, a service manager): not named
        out.println(!signalled && end == RunLoop.End.DURATION
                ? "Stopping (" + Durations.describe(duration) + " passed)..." : "Stopping...");
        out.flush();
        boolean emulatorGone = !w.emulatorsGone().get().isEmpty();
        if (emulatorGone && !goneSaid.get()) { // gone at the end of the run: --duration, or Ctrl-C, came first
            stopsForAGoneEmulator(w, err, goneSaid);
        }
        if (signalled || emulatorGone) {
            // On Ctrl-C the JVM is shutting down, and LocalAws's own shutdown hook stops the emulators at
            // the same time (or one has gone already): what still talks to them now fails, which is expected and not
            // worth a warning.
            quiet.silence();
            // and an invocation in flight would only retry against them until the function timeout: it is cut instead
            // (neither counted nor checkpointed: a demo's data goes with it anyway)
            w.esm().closeNow();
        }
        w.producer().stop(Duration.ofSeconds(signalled || emulatorGone ? 3 : 15));
        if (!signalled && !emulatorGone) {
            w.printer().poll();
        }
        out.println(status(w.producer().progress(), w.esm()));
        out.println("Windows printed: " + w.printer().windows() + Optional.ofNullable(firstAggregates.get())
                .map(d -> "; the first aggregates landed " + d.toSeconds() + " s after the start").orElse("") + ".");
        w.printer().unfinished().ifPresent(out::println);
        return end == RunLoop.End.WORK && !signalled;
    }

    /**
     * Says which emulator ended and was not started again (no memory bound, or its restart failed), instead of the
     * endpoint advice a client's error would get: the demo's endpoints are its own. False: the run ends.
     */
    private static boolean stopsForAGoneEmulator(Watched w, PrintWriter err, AtomicBoolean said) {
        err.println(String.join(" ", w.emulatorsGone().get()) + " The demo cannot go on without it: start the demo again.");
        err.flush();
        said.set(true);
        return false;
    }

    private DashboardServer dashboard(LocalAws aws, DynamoDbClient dynamo, EventSourceMapping esm, PrintWriter err) throws IOException {
        Path chartJs = aws.nodeModules().resolve(ChartJs.IN_NODE_MODULES);
        Optional<Path> chart = Files.isRegularFile(chartJs) ? Optional.of(chartJs) : Optional.empty();
        AggregatesQuery aggregates = new AggregatesQuery(dynamo, TABLES.aggregates());
        RejectCountsQuery rejects = new RejectCountsQuery(dynamo, TABLES.rejects(), DashboardOptions.DEFAULT_MAX_ITEMS_READ);
        MappingLagSource lag = new MappingLagSource(esm::status);
        try {
            return DashboardServer.start(DashboardOptions.onLoopback(port, chart), aggregates, rejects, lag, clock);
        } catch (BindException e) {
            if (port == 0) {
                throw e;
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--port")) {
                // the user's own choice is not overruled (found by a probe: "choose with --port", who just had)
                throw new UserError("Port " + port + " for the dashboard is taken: choose another with --port, or 0 for any free one.");
            }
            err.println("Port " + port + " is taken, so the dashboard listens on a free one (choose with --port).");
            err.flush();
            return DashboardServer.start(DashboardOptions.onLoopback(0, chart), aggregates, rejects, lag, clock);
        }
    }

    static String status(ProducerProgress producer, EventSourceMapping esm) {
        return status(producer, esm.status()) + esm.executionEnvironments()
                .map(e -> String.format("; function: %d execution environment%s started", e.environmentsStarted(),
                        e.environmentsStarted() == 1 ? "" : "s"))
                .orElse("");
    }

    static String status(ProducerProgress producer, MappingStatus mapping) {
        long maxAge = mapping.shards().stream().mapToLong(ShardStatus::iteratorAgeMillis).max().orElse(0);
        long windowsClosed = mapping.shards().stream().mapToLong(ShardStatus::windowsClosed).sum();
        long failures = mapping.shards().stream().mapToLong(ShardStatus::failedInvocations).sum();
        return String.format("[status] producer %,d trips sent, %,d failed; mapping: %,d KPL-aggregated records in, %,d invocations, %,d failed,"
                        + " %,d shard windows closed, iterator age %,d ms",
                producer.send().sentTrips(), producer.send().failedTrips(), mapping.totalRecordsIn(), mapping.totalInvocations(),
                failures, windowsClosed, maxAge);
    }

    /** The mapping's settings, as the options give them (package-private: tests read them as the command runs them). */
    EventSourceMappingConfig config() {
        try {
            function.check(TABLES);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        EventSourceMappingConfig config;
        try {
            config = new MappingOptions(batching).toConfig("kinesis-aggs-demo", DEMO_MAPPING);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!config.hasTumblingWindow()) {
            throw new ParameterException(spec.commandLine(),
                    "--window must be at least 1 s: the kinesis-aggs function aggregates per tumbling window");
        }
        try {
            DashboardOptions.requireValidPort(port);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return config;
    }

    private ProducerOptions producerOptions() {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new ParameterException(spec.commandLine(), "--rate must be a positive number of trips per second, not " + Numbers.plain(rate));
        }
        if (shards < 1 || shards > 50) {
            throw new ParameterException(spec.commandLine(), "--shards must be between 1 and 50, not " + shards);
        }
        if (!(uncleanPercent >= 0 && uncleanPercent <= 100)) {
            throw new ParameterException(spec.commandLine(), "--unclean must be a percentage from 0 to 100, not " + Numbers.plain(uncleanPercent));
        }
        return ProducerOptions.defaults(STREAM).withRate(rate).withSendBadRows(true);
    }

    private KinesisEmulator emulator() {
        try {
            return kinesisEmulator == null ? KinesisEmulator.configured() : KinesisEmulator.byPackageName(kinesisEmulator);
        } catch (LocalAwsException unknown) {
            throw new ParameterException(spec.commandLine(), unknown.getMessage());
        }
    }
}
