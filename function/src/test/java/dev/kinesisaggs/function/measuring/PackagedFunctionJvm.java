package dev.kinesisaggs.function.measuring;

import dev.kinesisaggs.function.storage.TableNames;
import dev.kinesisaggs.localaws.LocalAws;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM on the packaged Lambda artifact, running one of the measuring mains of this module's tests on an
 * event file, with the function configured as Lambda configures it: by the environment (the emulators' SDK
 * endpoints, the table names).
 */
public final class PackagedFunctionJvm {

    /** What {@link #run} saw: the JVM's output (stdout and stderr), whether it ended in time, and how long it took. */
    public record Run(String output, boolean finished, int exitValue, long wallMs) {
    }

    private final List<String> classpath = new ArrayList<>();

    /** @param jar the shaded artifact, in the module's {@code target} directory beside {@code test-classes} */
    public PackagedFunctionJvm(Path jar) {
        // the artifact, plus what the measuring program itself needs (it is not part of the function)
        classpath.add(jar.toString());
        classpath.add(jar.getParent().resolve("test-classes").toString());
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("aws-lambda-java-serialization") || p.contains("joda-time"))
                .forEach(classpath::add);
    }

    /** The command line of a JVM with these flags running {@code main} on the event; with {@code --prime} after it if asked. */
    public List<String> command(List<String> jvmFlags, Class<?> main, Path event, boolean prime) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", String.join(File.pathSeparator, classpath), main.getName(), event.toString()));
        if (prime) {
            command.add("--prime");
        }
        return command;
    }

    /** Runs the command against the emulators and these tables, waiting for its end up to {@code timeout}. */
    public static Run run(List<String> command, LocalAws aws, TableNames tables, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(aws.environment());
        pb.environment().putAll(tables.toEnvironment());
        pb.redirectErrorStream(true);
        long started = System.nanoTime();
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        long wallMs = (System.nanoTime() - started) / 1_000_000;
        return new Run(output, finished, finished ? process.exitValue() : -1, wallMs);
    }
}
