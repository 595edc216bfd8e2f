package dev.kinesisaggs.app.chaos;

import dev.kinesisaggs.app.Logging;
import dev.kinesisaggs.app.pipeline.EngineLog;
import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.app.pipeline.PipelineFunction;
import dev.kinesisaggs.app.pipeline.TripPipeline;
import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.runtime.EnvironmentGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * outlives the run: the same guard ({@link EnvironmentGuard}) reads standard input, which the run holds open and never
 * writes to, and halts the JVM when that closes.
 */
public final class MappingProcess implements AutoCloseable {

    static final String STARTED = "chaos mapping started";
    /** What marks the mapping's lines on the command's standard error. */
    public static final String LOG_MARK = "mapping under chaos |";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;

    private MappingProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts the mapping of {@code settings} in a new JVM on this one's class path, and waits until it runs. Its own
     * log (the mapping's warnings, or everything it does when {@code verbose}) goes to this one's standard error.
     *
     * @throws IOException when it did not start (its error is then on standard error); nothing is left running
     */
    static MappingProcess start(Path settings, boolean verbose, long seed) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        // the launcher's pointer to our artifact, for a child that resolves the function as the command did
        String artifact = System.getProperty(FunctionOptions.ARTIFACT_PROPERTY);
        if (artifact != null) {
            command.add("-D" + FunctionOptions.ARTIFACT_PROPERTY + "=" + artifact);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MappingProcess.class.getName(), settings.toString(),
                Boolean.toString(verbose)));
        Process process = new ProcessBuilder(command).start();
        forwardLog(process, "  seed " + seed + ": " + LOG_MARK + " ");
        try {
            awaitStarted(process);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return new MappingProcess(process);
    }

    /**
     * The mapping's own log, each line marked as the mapping's (found by a probe: its warnings, most of them the injected
     * faults' doing, such as a mapping taken over after a {@code kill -9}, read as the command's own faults), and with its seed
     * (a seed's last warnings may come after its verdict line).
     */
    private static void forwardLog(Process process, String prefix) {
        Thread forward = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    System.err.println(prefix + line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "chaos-mapping-log");
        forward.setDaemon(true);
        forward.start();
    }

    private static void awaitStarted(Process process) throws IOException, InterruptedException {
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
        } catch (TimeoutException | ExecutionException e) {
            ok = false;
        }
        if (!ok) {
            throw new IOException("the chaos run's mapping process did not start within " + START_TIMEOUT.toSeconds()
                    + " s (its error, if it said one, is above)");
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
    public static void main(String[] args) {
        EnvironmentGuard.haltWhenParentGoes();
        try {
            run(MappingSettings.read(Path.of(args[0])), Boolean.parseBoolean(args[1]));
        } catch (Throwable t) {
            t.printStackTrace(); // to the run's standard error; then end at once, so that the run need not wait for "started"
            System.exit(1);
        }
    }

    private static void run(MappingSettings settings, boolean verbose) throws InterruptedException {
        if (!settings.kinesisCbor()) {
            System.setProperty("aws.cborEnabled", "false"); // JVM-wide, as LocalAws sets it in the run's JVM
        }
        Logging.configure();
        EngineLog engine = EngineLog.warningsUnless(verbose);
        Clock clock = Clock.systemUTC();
        KinesisClient kinesis = settings.clients().newKinesisClient();
        DynamoDbClient dynamo = settings.clients().newDynamoDbClient();
        PrintStream functionLog = settings.openFunctionLog();
        PipelineFunction function = settings.function(settings.clientThroughProxy(), functionLog, clock);
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
}
