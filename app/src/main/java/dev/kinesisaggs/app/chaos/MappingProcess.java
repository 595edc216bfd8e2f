package dev.kinesisaggs.app.chaos;

import dev.kinesisaggs.app.pipeline.EngineLog;
import dev.kinesisaggs.app.pipeline.PipelineFunction;
import dev.kinesisaggs.app.pipeline.TripPipeline;
import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A chaos run's event source mapping in a JVM of its own, so that the run can end it as a host of AWS's mapping
 * ends: {@link #stop} is a {@code SIGTERM} (the mapping closes: in-flight invocations finish and are checkpointed),
 * {@link #kill} a {@code kill -9} (nothing closes; invocations in flight are lost, and their execution environments
 * end with it). A new process then resumes from the checkpoints in DynamoDB, as a new mapping of AWS's would.
 *
 * <p>{@link #main} is the mapping's side: it reads its {@link MappingSettings}, starts the mapping, says
 * {@value #STARTED} on standard output, and runs until it is ended. Like the execution environments, it never
 * outlives the run: it reads standard input, which the run holds open and never writes to, and halts when that
 * closes.
 */
public final class MappingProcess implements AutoCloseable {

    static final String STARTED = "chaos mapping started";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;

    private MappingProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the mapping of {@code settings} in a new JVM on this one's class path, and waits until it runs; its own
     * log (the mapping's warnings) is appended to {@code log}, or with {@code verbose} everything goes to this one's
     * standard error.
     */
    static MappingProcess start(Path settings, Path log, boolean verbose) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        // the launcher's pointer to our artifact, for a child that resolves the function as the command did
        String artifact = System.getProperty("kinesisaggs.functionJar");
        if (artifact != null) {
            command.add("-Dkinesisaggs.functionJar=" + artifact);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MappingProcess.class.getName(), settings.toString(),
                Boolean.toString(verbose)));
        Process process = new ProcessBuilder(command)
                .redirectError(verbose ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        MappingProcess started = new MappingProcess(process, log);
        started.awaitStarted();
        return started;
    }

    private void awaitStarted() throws IOException, InterruptedException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> said = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals(STARTED)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean ok;
        try {
            ok = said.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            ok = false;
        }
        if (!ok) {
            process.destroyForcibly().waitFor();
            throw new IOException("the chaos run's mapping process did not start; its log, " + log + ", ends with:\n" + tail());
        }
        // whatever it says later is not read: let it go nowhere rather than fill the pipe
        Thread drain = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the process ended
            }
        }, "chaos-mapping-output");
        drain.setDaemon(true);
        drain.start();
    }

    private String tail() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** {@code kill -9}: the mapping ends at once, whatever it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** {@code SIGTERM}: the mapping closes as it does on Ctrl-C, then the process ends (killed, should it hang). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** The mapping's side: {@code MappingProcess SETTINGS_FILE VERBOSE}. */
    public static void main(String[] args) throws Exception {
        endWithParent();
        MappingSettings settings = MappingSettings.read(Path.of(args[0]));
        if (!settings.kinesisCbor()) {
            System.setProperty("aws.cborEnabled", "false"); // JVM-wide, as LocalAws sets it in the run's JVM
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        EngineLog engine = EngineLog.warningsUnless(Boolean.parseBoolean(args[1]));
        Clock clock = Clock.systemUTC();
        KinesisClient kinesis = settings.clients().newKinesisClient();
        DynamoDbClient dynamo = settings.clients().newDynamoDbClient();
        DynamoDbClient throughProxy = DynamoDbClient.builder().endpointOverride(settings.functionDynamoDb())
                .region(LocalAwsClients.REGION).credentialsProvider(LocalAwsClients.credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
        PrintStream functionLog = settings.functionLog()
                .map(MappingProcess::appendingTo)
                .orElseGet(() -> new PrintStream(OutputStream.nullOutputStream()));
        PipelineFunction function = settings.function(throughProxy, functionLog, clock);
        EventSourceMapping mapping = TripPipeline.mapping(kinesis, dynamo, settings.stream(), settings.config(),
                TripPipeline.CHECKPOINT_TABLE, function, clock);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mapping.close();
            functionLog.flush();
            engine.close();
        }, "chaos-mapping-stop"));
        mapping.start();
        System.out.println(STARTED);
        System.out.flush();
        new CountDownLatch(1).await(); // until the run ends this process
    }

    /** A log appended to, by this process and another: the run's function log is written by the mapping and the redrive. */
    static PrintStream appendingTo(Path file) {
        try {
            return new PrintStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Halts this JVM when the run that started it is gone: its end of standard input then closes. */
    private static void endWithParent() {
        Thread guard = new Thread(() -> {
            try {
                System.in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the same: the parent is gone
            }
            Runtime.getRuntime().halt(137);
        }, "chaos-mapping-guard");
        guard.setDaemon(true);
        guard.start();
    }
}
