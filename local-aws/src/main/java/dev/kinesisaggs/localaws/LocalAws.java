package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

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
    private static final String LOOPBACK_HOST = "127.0.0.1";
    private static final int PORT_RACE_ATTEMPTS = 3;

    private final LocalAwsOptions options;
    private final NodeInstallation installation;
    private final Path runDirectory;
    private final List<EmulatorProcess> processes;
    private final LocalAwsClients clients;
    private final KinesisClient kinesis;
    private final DynamoDbClient dynamoDb;
    private final Thread shutdownHook;
    private boolean closed;

    private LocalAws(LocalAwsOptions options, NodeInstallation installation, Path runDirectory,
            List<EmulatorProcess> processes, LocalAwsClients clients) {
        this.options = options;
        this.installation = installation;
        this.runDirectory = runDirectory;
        this.processes = List.copyOf(processes);
        this.processes.forEach(EmulatorProcess::inUse);
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
        Path runDirectory = createRunDirectory();
        EmulatorCommands commands = new EmulatorCommands(installation, options);
        List<EmulatorProcess> started = new ArrayList<>();
        try {
            // both start at once: each takes seconds on a loaded machine
            Launch dynamoDb = new Launch("DynamoDB", options.dynamoDbPort(),
                    port -> commands.dynalite(port, runDirectory, pidFiles), LocalAws::listTables, started);
            Launch kinesis = new Launch("Kinesis", options.kinesisPort(),
                    port -> commands.kinesis(port, runDirectory, pidFiles), LocalAws::listStreams, started);
            Launch s3 = options.s3() ? new Launch("S3", 0, port -> commands.s3rver(port, runDirectory, pidFiles),
                    LocalAws::listBuckets, started) : null;
            EmulatorProcess dynamoDbProcess = dynamoDb.await(options.startTimeout(), clock);
            EmulatorProcess kinesisProcess = kinesis.await(options.startTimeout(), clock);
            URI s3Endpoint = s3 == null ? null : endpoint(s3.await(options.startTimeout(), clock).port());
            LocalAwsClients clients = new LocalAwsClients(endpoint(kinesisProcess.port()), endpoint(dynamoDbProcess.port()),
                    options.kinesisEmulator() != KinesisEmulator.KINESALITE, s3Endpoint);
            return new LocalAws(options, installation, runDirectory, started, clients);
        } catch (RuntimeException e) {
            started.forEach(EmulatorProcess::close);
            FileTrees.deleteQuietly(runDirectory);
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

    /**
     * The emulators that ended while in use, one sentence each (how it ended, where its log is kept): what a program
     * that meets "connection refused" should say. The same sentence is logged as an error when it happens.
     */
    public List<String> unexpectedExits() {
        return processes.stream().flatMap(process -> process.unexpectedExit().stream()).toList();
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
        processes.forEach(EmulatorProcess::close);
        FileTrees.deleteQuietly(runDirectory);
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: it finds this object closed
            }
        }
    }

    /** One emulator being started; a free port lost to another program in the meantime is replaced by a new one. */
    private static final class Launch {
        private final String name;
        private final int requestedPort;
        private final IntFunction<EmulatorProcess> launcher;
        private final Function<URI, Probe> probe;
        private final List<EmulatorProcess> started;
        private EmulatorProcess process;

        Launch(String name, int requestedPort, IntFunction<EmulatorProcess> launcher, Function<URI, Probe> probe,
                List<EmulatorProcess> started) {
            this.name = name;
            this.requestedPort = requestedPort;
            this.launcher = launcher;
            this.probe = probe;
            this.started = started;
            launch();
        }

        private void launch() {
            int port = requestedPort != 0 ? requestedPort : freePorts.getAsInt();
            process = launcher.apply(port);
            started.add(process);
        }

        EmulatorProcess await(Duration timeout, Clock clock) {
            for (int attempt = 1; ; attempt++) {
                Readiness readiness = awaitAnswer(process, probe, timeout, clock);
                if (readiness == Readiness.ANSWERED) {
                    return process;
                }
                String tail = process.logTail();
                process.close();
                started.remove(process);
                boolean portTaken = tail.contains("EADDRINUSE");
                if (portTaken && requestedPort == 0 && attempt < PORT_RACE_ATTEMPTS) {
                    launch();
                    continue;
                }
                if (portTaken) {
                    throw portTaken(process.port(), name);
                }
                if (readiness == Readiness.EXITED) {
                    throw new LocalAwsException("The " + name + " emulator (" + process.name() + ") exited before it answered;"
                            + " the last lines of its log: " + tail + ".");
                }
                throw new LocalAwsException("The " + name + " emulator (" + process.name() + ") did not answer within "
                        + seconds(timeout) + " (the machine may be overloaded); the last lines of its log: " + tail + ".");
            }
        }
    }

    private enum Readiness { ANSWERED, EXITED, TIMED_OUT }

    private static Readiness awaitAnswer(EmulatorProcess process, Function<URI, Probe> probes, Duration timeout,
            Clock clock) {
        Instant deadline = clock.instant().plus(timeout);
        try (Probe probe = probes.apply(endpoint(process.port()))) {
            while (clock.instant().isBefore(deadline)) {
                if (!process.isAlive()) {
                    return Readiness.EXITED;
                }
                if (!process.saysItListens()) {
                    sleep(Duration.ofMillis(100));
                    continue;
                }
                try {
                    probe.call();
                    return Readiness.ANSWERED;
                } catch (SdkException notYet) {
                    sleep(Duration.ofMillis(100));
                }
            }
        }
        return Readiness.TIMED_OUT;
    }

    /** A real API call: an open port alone does not mean the emulator is ready. */
    private interface Probe extends AutoCloseable {
        void call();

        @Override
        void close();
    }

    private static Probe listTables(URI endpoint) {
        DynamoDbClient client = new LocalAwsClients(endpoint, endpoint, true).newDynamoDbClient(probeConfiguration());
        return new Probe() {
            @Override
            public void call() {
                client.listTables();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static Probe listBuckets(URI endpoint) {
        S3Client client = new LocalAwsClients(endpoint, endpoint, true, endpoint).newS3Client(probeConfiguration());
        return new Probe() {
            @Override
            public void call() {
                client.listBuckets();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static Probe listStreams(URI endpoint) {
        KinesisClient client = new LocalAwsClients(endpoint, endpoint, true).newKinesisClient(probeConfiguration());
        return new Probe() {
            @Override
            public void call() {
                client.listStreams();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static ClientOverrideConfiguration probeConfiguration() {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(2))
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .build();
    }

    private static void requireFree(int port, String name) {
        if (port != 0 && !LoopbackPorts.isFree(port)) {
            throw portTaken(port, name);
        }
    }

    private static LocalAwsException portTaken(int port, String name) {
        return new LocalAwsException("Port " + port + " for the " + name + " emulator is already in use on "
                + LOOPBACK_HOST + ": stop the program listening there (`ss -ltnp 'sport = :" + port + "'` or `lsof -i :"
                + port + "` shows it) or choose another port.");
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

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalAwsException("Interrupted while waiting for the emulators to start.", e);
        }
    }
}
