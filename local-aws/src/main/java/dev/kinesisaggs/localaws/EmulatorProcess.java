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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
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
    /** The exit code of a process ended by SIGINT (128 + 2). */
    private static final int SIGINT_EXIT = 130;
    /** What the guard script logs when it keeps the emulator going past a promise that failed with no one waiting. */
    private static final String FAILED_PROMISE = "kinesis-aggs-guard: a promise failed with no one waiting";

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
    /** A memory bound starts it again when it ends: its end is then a warning, not an error. */
    private volatile boolean keptRunning;
    private volatile String unexpectedExit;
    /** Whether the program says {@link #unexpectedExit()} itself: the sentence is then logged at debug level only. */
    private volatile BooleanSupplier callerSaysIt = () -> false;
    private volatile CompletableFuture<Void> exitWatch = CompletableFuture.completedFuture(null);

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
        exitWatch = process.onExit().thenRun(this::reportIfUnexpected);
    }

    /** As {@link #inUse()}, for a program that may take on saying an unexpected exit itself (a command line does). */
    void inUse(BooleanSupplier callerSaysIt) {
        this.callerSaysIt = callerSaysIt;
        inUse();
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

    /** Says that a memory bound starts it again when it ends. */
    void keptRunning() {
        keptRunning = true;
    }

    /** Runs {@code action} (on another thread) once the process has ended, however it ended. */
    void whenEnded(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** Whether it ended on Ctrl-C, which a terminal sends to the whole process group: the program is stopping too. */
    boolean endedOnCtrlC() {
        return !process.isAlive() && process.exitValue() == SIGINT_EXIT;
    }

    /** How the process ended, in words ("was killed by signal 9 (SIGKILL: ...)"); for one that has ended. */
    String ending() {
        return howItEnded(process.exitValue());
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
     * Ctrl-C in a terminal reaches the whole process group, emulators included, while the program stops them anyway:
     * that end is not reported.
     */
    private void reportIfUnexpected() {
        int code = process.exitValue();
        if (stopping || code == SIGINT_EXIT) {
            return;
        }
        unexpectedExit = "The " + name + " emulator on port " + port + " (pid " + pid() + ") " + howItEnded(code)
                + " while in use; " + keepLog("exited") + "; the last lines of its log: " + logTail() + ".";
        if (keptRunning) {
            LOG.warn(unexpectedExit);
        } else if (callerSaysIt.getAsBoolean()) {
            LOG.debug(unexpectedExit);
        } else {
            LOG.error(unexpectedExit);
        }
    }

    /** How a process that exited with this code ended, in words: a code above 128 is death by signal (code - 128). */
    static String howItEnded(int exitCode) {
        if (exitCode <= 128) {
            return "exited with code " + exitCode;
        }
        int signal = exitCode - 128;
        return "was killed by signal " + signal + switch (signal) {
            case 9 -> " (SIGKILL: another process, or the kernel's out-of-memory killer)";
            case 6 -> " (SIGABRT: node aborted, e.g. out of memory)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }

    /** Copies the log to a file of its own in the temporary directory; says where, or why not. */
    private String keepLog(String why) {
        try {
            Path kept = Files.createTempFile("kinesis-aggs-" + name + "-" + port + "-" + why + "-", ".log");
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            return "its log is kept in " + kept;
        } catch (IOException e) {
            return "its log could not be kept (" + e.getMessage() + ")";
        }
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
        return logHas(l -> l.strip().equals(line));
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
        try {
            exitWatch.get(5, TimeUnit.SECONDS); // a report under way copies the log before the run directory goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the report is a diagnosis; the emulator is stopped either way
        }
        if (unexpectedExit == null && logHas(l -> l.contains(FAILED_PROMISE))) {
            LOG.warn("The " + name + " emulator on port " + port + " went on past promises that failed with no one waiting for"
                    + " them; " + keepLog("failed-promises") + ".");
        }
    }

    private boolean logHas(Predicate<String> line) {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.anyMatch(line);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
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
