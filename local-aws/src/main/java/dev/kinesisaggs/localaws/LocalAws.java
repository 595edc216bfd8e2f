package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The local Kinesis and DynamoDB emulators, running under the machine's {@code node} on
 * loopback ports, ready to answer.
 *
 * <pre>{@code
 * try (LocalAws aws = LocalAws.start()) {
 *     aws.kinesis().createStream(...);
 * }
 * }</pre>
 *
 * <p>They stop on {@link #close()}, on JVM exit (shutdown hook, Ctrl-C) and when the JVM is
 * killed outright: each emulator runs with a guard script that exits when its stdin, a pipe
 * from this JVM, closes. Emulators left by a JVM that died anyway are killed at the next start.
 */
public final class LocalAws implements AutoCloseable {
    static final String LOOPBACK_HOST = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);

    private final LocalAwsOptions options;
    private final NodeInstallation installation;
    private final Path runDirectory;
    /** The emulators running now: one restarted past its memory bound is replaced here by the new process. */
    private final List<EmulatorProcess> processes;
    /** Null without a memory bound. */
    private final MemoryBound memoryBound;
    private final LocalAwsClients clients;
    private final KinesisClient kinesis;
    private final DynamoDbClient dynamoDb;
    private final Thread shutdownHook;
    /** Null without a data directory. */
    private final DataDirectoryLock dataLock;
    private boolean closed;
    private volatile boolean callerSaysUnexpectedExits;

    private LocalAws(LocalAwsOptions options, NodeInstallation installation, Path runDirectory,
            List<EmulatorProcess> processes, MemoryBound memoryBound, LocalAwsClients clients, DataDirectoryLock dataLock) {
        this.options = options;
        this.dataLock = dataLock;
        this.installation = installation;
        this.runDirectory = runDirectory;
        this.processes = processes;
        this.processes.forEach(process -> process.inUse(() -> callerSaysUnexpectedExits));
        this.memoryBound = memoryBound;
        this.clients = clients;
        this.kinesis = clients.newKinesisClient();
        this.dynamoDb = clients.newDynamoDbClient();
        this.shutdownHook = new Thread(this::close, "local-aws-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Where a port for an emulator comes from when none is asked for; tests replace it to lose a race on purpose. */
    static IntSupplier freePorts = LoopbackPorts::anyFree;

    /** Starts both emulators (and no S3 emulator) with {@link LocalAwsOptions#defaults()}: free ports, data in memory. */
    public static LocalAws start() {
        return start(LocalAwsOptions.defaults());
    }

    /** Installs the emulators if needed, starts them and waits until each answers an API call. */
    public static LocalAws start(LocalAwsOptions options) {
        return start(options, NodeModules.inUserCache(), Clock.systemUTC());
    }

    static LocalAws start(LocalAwsOptions options, NodeModules nodeModules, Clock clock) {
        requireFree(options.kinesisPort(), "Kinesis");
        requireFree(options.dynamoDbPort(), "DynamoDB");
        NodeRuntime.require(false); // npm is checked only when an install is needed
        NodeInstallation installation = nodeModules.installation();
        PidFiles pidFiles = new PidFiles(nodeModules.cacheDirectory().resolveSibling("run"));
        pidFiles.killOrphans();
        if (options.kinesisEmulator() == KinesisEmulator.KINESALITE) {
            // kinesalite does not speak CBOR, the SDK's default for Kinesis; this switch is JVM-wide
            System.setProperty("aws.cborEnabled", "false");
        }
        if (options.memoryBoundMegabytes() > 0 && options.persistence().isEmpty()) {
            throw new LocalAwsException("A memory bound restarts the emulators on their data directory, and these keep"
                    + " their data in memory: give them a data directory too.");
        }
        // one run at a time on a data directory: a second one would corrupt the first's files
        DataDirectoryLock dataLock = options.persistence().isPresent() ? DataDirectoryLock.acquire(options.persistence().get()) : null;
        Path runDirectory = createRunDirectory();
        EmulatorCommands commands = new EmulatorCommands(installation, options);
        IntFunction<EmulatorProcess> dynalite = port -> commands.dynalite(port, runDirectory, pidFiles);
        IntFunction<EmulatorProcess> kinesisEmulator = port -> commands.kinesis(port, runDirectory, pidFiles);
        boolean bounded = options.memoryBoundMegabytes() > 0 && MemoryBound.readable();
        if (options.memoryBoundMegabytes() > 0 && !bounded) {
            LOG.warn("The emulators' memory cannot be read on this system (no /proc): they run without a memory bound.");
        }
        // kinesis-local keeps its data in memory (written out every second): a restart would not make it smaller
        boolean kinesisBounded = bounded && options.kinesisEmulator() == KinesisEmulator.KINESALITE;
        List<EmulatorProcess> started = new CopyOnWriteArrayList<>();
        MemoryBound memoryBound = null;
        try {
            // both start at once: each takes seconds on a loaded machine; with a memory bound the given ports are the gates'
            EmulatorLaunch dynamoDb = new EmulatorLaunch("DynamoDB", bounded ? 0 : options.dynamoDbPort(), dynalite,
                    EmulatorLaunch::listTables, started);
            EmulatorLaunch kinesis = new EmulatorLaunch("Kinesis", kinesisBounded ? 0 : options.kinesisPort(), kinesisEmulator,
                    EmulatorLaunch::listStreams, started);
            EmulatorLaunch s3 = options.s3() ? new EmulatorLaunch("S3", 0, port -> commands.s3rver(port, runDirectory, pidFiles),
                    EmulatorLaunch::listBuckets, started) : null;
            EmulatorProcess dynamoDbProcess = dynamoDb.await(options.startTimeout(), clock);
            EmulatorProcess kinesisProcess = kinesis.await(options.startTimeout(), clock);
            URI s3Endpoint = s3 == null ? null : endpoint(s3.await(options.startTimeout(), clock).port());
            URI dynamoDbEndpoint = endpoint(dynamoDbProcess.port());
            URI kinesisEndpoint = endpoint(kinesisProcess.port());
            if (bounded) {
                memoryBound = new MemoryBound(options.memoryBoundMegabytes(),
                        (old, fresh) -> started.set(started.indexOf(old), fresh));
                dynamoDbEndpoint = memoryBound.watch("DynamoDB", options.dynamoDbPort(), dynamoDbProcess,
                        () -> relaunch("DynamoDB", dynalite, EmulatorLaunch::listTables, options, clock));
                if (kinesisBounded) {
                    kinesisEndpoint = memoryBound.watch("Kinesis", options.kinesisPort(), kinesisProcess,
                            () -> relaunch("Kinesis", kinesisEmulator, EmulatorLaunch::listStreams, options, clock));
                }
            }
            LocalAwsClients clients = new LocalAwsClients(kinesisEndpoint, dynamoDbEndpoint,
                    options.kinesisEmulator() != KinesisEmulator.KINESALITE, s3Endpoint);
            return new LocalAws(options, installation, runDirectory, started, memoryBound, clients, dataLock);
        } catch (RuntimeException e) {
            if (memoryBound != null) {
                memoryBound.close();
            }
            started.forEach(EmulatorProcess::close);
            FileTrees.deleteQuietly(runDirectory);
            if (dataLock != null) {
                dataLock.close();
            }
            throw e;
        }
    }

    /** Another process of an emulator, on a new free port, on the same data, once it answers. */
    private static EmulatorProcess relaunch(String name, IntFunction<EmulatorProcess> launcher,
            Function<URI, EmulatorLaunch.Probe> probe, LocalAwsOptions options, Clock clock) {
        List<EmulatorProcess> started = new ArrayList<>();
        try {
            return new EmulatorLaunch(name, 0, launcher, probe, started).await(options.startTimeout(), clock);
        } catch (RuntimeException e) {
            started.forEach(EmulatorProcess::close); // e.g. interrupted by close(): the process must not be left running
            throw e;
        }
    }

    public URI kinesisEndpoint() {
        return clients.kinesisEndpoint();
    }

    public URI dynamoDbEndpoint() {
        return clients.dynamoDbEndpoint();
    }

    /** The S3 emulator's endpoint, when {@link LocalAwsOptions#withS3()} asked for one. */
    public Optional<URI> s3Endpoint() {
        return Optional.ofNullable(clients.s3Endpoint());
    }

    public KinesisEmulator kinesisEmulator() {
        return options.kinesisEmulator();
    }

    public LocalAwsOptions options() {
        return options;
    }

    /** The installed npm packages (also holds aws-kinesis-agg and chart.js). */
    public Path nodeModules() {
        return installation.nodeModules();
    }

    /** A factory of new SDK clients pointed at the emulators. */
    public LocalAwsClients clients() {
        return clients;
    }

    /** A shared Kinesis client, closed with this object. */
    public KinesisClient kinesis() {
        return kinesis;
    }

    /** A shared DynamoDB client, closed with this object. */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_DYNAMODB (and _S3 with an S3 emulator), AWS_REGION and dummy credentials for a child process. */
    public Map<String, String> environment() {
        return clients.environment();
    }

    /** Process ids of the running emulators, for diagnostics and tests. */
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach(process -> pids.put(process.name(), process.pid()));
        return pids;
    }

    /** The last lines of each running emulator's log, by name: what a test shows when an emulator stops answering. */
    Map<String, String> logTails() {
        Map<String, String> tails = new LinkedHashMap<>();
        processes.forEach(process -> tails.put(process.name(), process.logTail()));
        return tails;
    }

    /**
     * The emulators that ended while in use and are not running again, one sentence each (how it ended, where its log is
     * kept): what a program that meets "connection refused" should say. The same sentence is logged as an error when it
     * happens, unless the program says it ({@link #callerSaysUnexpectedExits()}). One under the memory bound, which
     * starts it again, is listed only when that failed.
     */
    public List<String> unexpectedExits() {
        Stream<String> exits = processes.stream().filter(process -> memoryBound == null || !memoryBound.watches(process))
                .flatMap(process -> process.unexpectedExit().stream());
        return memoryBound == null ? exits.toList() : Stream.concat(exits, memoryBound.failures().stream()).toList();
    }

    /**
     * Tells that the program prints {@link #unexpectedExits()} itself from now on (as the command line does, on its
     * standard error): an emulator's end is then logged at debug level instead of as an error, which a terminal would show
     * beside the program's own sentence, the same words twice. (An emulator under the memory bound, which starts it
     * again, is still logged as a warning; a restart that failed as an error.)
     */
    public void callerSaysUnexpectedExits() {
        callerSaysUnexpectedExits = true;
    }

    /**
     * How many times each emulator (by its package, e.g. "dynalite") was started again past the
     * {@link LocalAwsOptions#withMemoryBound memory bound}; empty without one, or before the first restart.
     */
    public Map<String, Integer> memoryRestarts() {
        return memoryBound == null ? Map.of() : memoryBound.restarts();
    }

    /** Whether the {@link LocalAwsOptions#withMemoryBound memory bound} holds here (asked for, and {@code /proc} readable). */
    public boolean boundsMemory() {
        return memoryBound != null;
    }

    /** Stops both emulators (SIGKILL: their data directory, if any, is kept) and waits until they are gone. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kinesis.close();
        dynamoDb.close();
        if (memoryBound != null) {
            memoryBound.close(); // first: no restart may start a process once they are being stopped
        }
        processes.forEach(EmulatorProcess::close);
        FileTrees.deleteQuietly(runDirectory);
        if (dataLock != null) {
            dataLock.close(); // last: the emulators are gone, another run may use the directory
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: it finds this object closed
            }
        }
    }

    private static void requireFree(int port, String name) {
        if (port != 0 && !LoopbackPorts.isFree(port)) {
            throw new PortTakenException(port, name);
        }
    }

    static URI endpoint(int port) {
        return URI.create("http://" + LOOPBACK_HOST + ":" + port);
    }

    private static Path createRunDirectory() {
        try {
            return Files.createTempDirectory("kinesis-aggs-local-aws-");
        } catch (IOException e) {
            throw new LocalAwsException("Could not create a temporary directory for the emulators' logs (" + e.getMessage()
                    + "): check the free space and permissions of " + System.getProperty("java.io.tmpdir") + ".", e);
        }
    }

}
