package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulator running under the machine's {@code node}, with the guard script preloaded.
 * We keep its stdin open and never write to it: when this JVM dies in any way the pipe
 * closes and the guard makes the emulator exit.
 */
final class EmulatorProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorProcess.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final String name;
    /** What the guard script prints, with the port, once a server of the emulator listens. */
    private static final String LISTENING = "kinesis-aggs-guard: listening on ";

    private final int port;
    private final Process process;
    private final OutputStream lifeline;
    private final Path log;
    private final PidFiles pidFiles;
    private final boolean graceful;
    private volatile boolean stopping;
    private volatile String unexpectedExit;

    private EmulatorProcess(String name, int port, Process process, Path log, PidFiles pidFiles, boolean graceful) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.log = log;
        this.pidFiles = pidFiles;
        this.graceful = graceful;
    }

    /** From now on the emulator is in use: an exit before {@link #close()} is reported (an exit while starting is the start's failure). */
    void inUse() {
        process.onExit().thenRun(this::reportIfUnexpected);
    }

    /**
     * @param graceful whether the emulator must get SIGTERM first, to write its data to disk
     *                 (kinesis-local when persisting), rather than SIGKILL at once
     */
    static EmulatorProcess start(String name, int port, List<String> command, Map<String, String> environment, Path log,
            PidFiles pidFiles, boolean graceful) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("KINESIS_AGGS_GRACEFUL_EXIT", Boolean.toString(graceful));
        try {
            Process process = builder.start();
            pidFiles.record(process.toHandle());
            return new EmulatorProcess(name, port, process, log, pidFiles, graceful);
        } catch (IOException e) {
            throw new LocalAwsException("Could not start the " + name + " emulator with `" + command.get(0) + "` ("
                    + e.getMessage() + "): check that Node.js is installed and on the PATH.", e);
        }
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    Path log() {
        return log;
    }

    /** What ended this emulator while it was in use (before {@link #close()}), in one sentence; empty while it runs or once it was stopped. */
    Optional<String> unexpectedExit() {
        return Optional.ofNullable(unexpectedExit);
    }

    /**
     * An emulator that dies under a running program leaves only "connection refused" behind, and its log goes with the
     * run directory: keep the log where it survives, and say how the process ended (a signal tells a kill from a crash).
     */
    private void reportIfUnexpected() {
        if (stopping) {
            return;
        }
        int code = process.exitValue();
        String how = code > 128 ? "was killed by signal " + (code - 128) + (code == 137
                ? " (SIGKILL: another process, or the kernel's out-of-memory killer)" : "")
                : "exited with code " + code;
        Path kept = Path.of(System.getProperty("java.io.tmpdir"), "kinesis-aggs-" + name + "-" + port + "-" + pid() + "-exited.log");
        String where;
        try {
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            where = "its log is kept in " + kept;
        } catch (IOException e) {
            where = "its log could not be kept (" + e.getMessage() + ")";
        }
        unexpectedExit = "The " + name + " emulator on port " + port + " (pid " + pid() + ") " + how + " while in use; "
                + where + "; the last lines of its log: " + logTail() + ".";
        LOG.error(unexpectedExit);
    }

    String logTail() {
        return LogTail.of(log, 8);
    }

    /**
     * Whether this process itself listens on its port, as the guard script says in its log: an answer on the port
     * alone could come from another run's emulator that took the port first.
     */
    boolean saysItListens() {
        String line = LISTENING + port;
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.anyMatch(l -> l.strip().equals(line));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Kills the process and waits until it is gone: SIGKILL at once (a plain SIGTERM takes some
     * of these emulators about 10 s), or SIGTERM first when it must save its data.
     */
    @Override
    public void close() {
        stopping = true;
        if (graceful && process.isAlive()) {
            process.destroy();
            awaitExit(GRACE);
        }
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // the process is killed below anyway
        }
        PidFiles.killTree(process.toHandle());
        if (awaitExit(Duration.ofSeconds(10))) {
            pidFiles.forget(process.pid());
        }
        // else the pid file stays, and the next start kills the process if it is still there
    }

    private boolean awaitExit(Duration timeout) {
        try {
            process.toHandle().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
