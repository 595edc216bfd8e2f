package dev.kinesisaggs.esm.runtime;

import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.runtime.RuntimeApiServer.Answer;
import dev.kinesisaggs.esm.runtime.RuntimeApiServer.Delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Lambda execution environment: a child JVM running AWS's runtime interface client on the
 * function's code laid out as {@code /var/task}, behind a {@link RuntimeApiServer} of its own. It
 * serves one invocation at a time. The first invocation starts it (cold: the init phase, JVM start
 * to the runtime's first {@code GET .../next}, is measured and reported); later ones reuse it (warm).
 *
 * <p>As on Lambda: the function timeout ends the environment (the invocation fails as timed out, the
 * next one is cold); so does a runtime that exits (a crash, {@code System.exit}, a Java
 * {@code OutOfMemoryError}, after which the runtime client exits by itself), an init error, and a
 * process whose resident memory passes the memory size ({@code Runtime.OutOfMemory}, as Lambda stops
 * a function over its memory). The init phase gets up to 10 s plus the function timeout (Lambda gives
 * init 10 s, then retries it inside the invocation's own timeout).
 */
final class ExecutionEnvironment implements AutoCloseable {

    /** Lambda's init phase limit for on-demand functions. */
    static final Duration INIT_LIMIT = Duration.ofSeconds(10);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STREAM_DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final String VERSION = "$LATEST";

    /** What every environment of one function shares. */
    record Shared(PackagedFunction function, String functionName, String functionArn, String region, Duration timeout,
                  TaskRoot taskRoot, List<Path> runtimeClasspath, Optional<Path> runtimeArchive, String nativeLibraryProperty,
                  Path guardAgent, String runtimeClientVersion, Clock clock, InitFailures initFailures) {
    }

    private final Shared shared;
    private final int number;
    // volatile, as dead: close() may run on another thread while the first invocation starts the environment
    private volatile RuntimeApiServer api;
    private volatile Process process;
    private LogPump pump;
    private Path cgroup;
    private Instant startedAt;
    private boolean initReported;
    private volatile boolean dead;

    ExecutionEnvironment(Shared shared, int number) {
        this.shared = shared;
        this.number = number;
    }

    int number() {
        return number;
    }

    boolean started() {
        return process != null;
    }

    /** Gone for good: killed, exited, or failed its init. The pool starts a new one instead. */
    boolean dead() {
        return dead || (process != null && !process.isAlive());
    }

    /** Waits until the runtime asks for its next invocation; false when it exits instead (e.g. after an OutOfMemoryError). */
    boolean awaitReady(Duration max) {
        if (process == null) {
            return true;
        }
        long until = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < until) {
            if (dead()) {
                return false;
            }
            if (api.waitingForNext()) {
                return true;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !dead() && api.waitingForNext();
    }

    /** One invocation, start to finish, as Lambda runs it; never throws for what the function does. */
    InvocationResult invoke(String requestId, byte[] event) {
        try {
            return run(requestId, event);
        } catch (Interrupted e) {
            // the mapping is stopping and cannot wait any longer: the environment goes with the invocation
            kill();
            Thread.currentThread().interrupt();
            return new InvocationResult.Threw(requestId, Duration.ZERO, "Interrupted", "the event source mapping stopped during the invocation");
        }
    }

    private InvocationResult run(String requestId, byte[] event) {
        boolean cold = process == null;
        if (cold) {
            start();
        }
        Duration initLimit = INIT_LIMIT.plus(shared.timeout());
        // init: until the runtime first asks for an invocation, or fails, or runs out of time
        while (!api.firstNext().isDone()) {
            Optional<InvocationResult> failed = failedBeforeDelivery(requestId, initLimit);
            if (failed.isPresent()) {
                return failed.get();
            }
            sleep(2);
        }
        Optional<Duration> initDuration = Optional.empty();
        if (cold) {
            initDuration = Optional.of(Duration.between(startedAt, api.firstNext().join()));
            initReported = true;
        }
        pump.drain(200);
        shared.function().log().line(InvocationReport.startLine(requestId, VERSION));
        Delivery delivery = new Delivery(requestId, shared.functionArn(), traceId(), shared.timeout(), event);
        api.offer(delivery);
        long nextMemoryCheck = 0;
        while (true) {
            Instant deliveredAt = delivery.delivered().getNow(null);
            Answer answer = delivery.answer().getNow(null);
            if (answer != null) {
                Duration took = Duration.between(deliveredAt, shared.clock().instant());
                return answered(requestId, answer, took, initDuration);
            }
            Instant now = shared.clock().instant();
            if (deliveredAt != null && Duration.between(deliveredAt, now).compareTo(shared.timeout()) > 0) {
                kill();
                Duration took = Duration.between(deliveredAt, now);
                shared.function().log().line(LOG_TIME.format(now) + " " + requestId + " Task timed out after "
                        + String.format(Locale.ROOT, "%.2f", shared.timeout().toMillis() / 1000.0) + " seconds");
                finish(requestId, took, initDuration, Optional.of("timeout"), Optional.empty());
                return new InvocationResult.TimedOut(requestId, took);
            }
            if (process.isAlive() && System.nanoTime() > nextMemoryCheck) {
                nextMemoryCheck = System.nanoTime() + 50_000_000L;
                if (residentMb("VmRSS").orElse(0) > shared.function().memorySizeMb()) {
                    kill();
                    return exited(requestId, delivery, initDuration, "Runtime.OutOfMemory", "signal: killed");
                }
            }
            if (!process.isAlive()) {
                if (delivery.answer().isDone()) {
                    continue; // answered, then exited (the runtime client exits after an OutOfMemoryError)
                }
                dead = true;
                return exited(requestId, delivery, initDuration, "Runtime.ExitError", exitStatus());
            }
            sleep(1);
        }
    }

    /** During init: the init failed, the runtime exited, or init ran out of time. */
    private Optional<InvocationResult> failedBeforeDelivery(String requestId, Duration initLimit) {
        Instant now = shared.clock().instant();
        Duration initSoFar = Duration.between(startedAt, now);
        Optional<Answer.Error> initError = api.initError();
        if (initError.isPresent()) {
            kill();
            pump.drain(500);
            initReport(initSoFar, "error", initError.get().platformType());
            failedInit(requestId, initSoFar, "error", initError.get().platformType());
            shared.initFailures().failed(initError.get().errorType(), initError.get().errorMessage());
            return Optional.of(new InvocationResult.Threw(requestId, Duration.ZERO, initError.get().errorType(), initError.get().errorMessage()));
        }
        if (!process.isAlive()) {
            dead = true;
            pump.drain(500);
            String status = exitStatus();
            initReport(initSoFar, "error", "Runtime.ExitError");
            failedInit(requestId, initSoFar, "error", "Runtime.ExitError");
            return Optional.of(new InvocationResult.Threw(requestId, Duration.ZERO, "Runtime.ExitError",
                    "RequestId: " + requestId + " Error: Runtime exited with error: " + status));
        }
        if (initSoFar.compareTo(initLimit) > 0) {
            kill();
            pump.drain(500);
            initReport(initSoFar, "timeout", null);
            failedInit(requestId, initSoFar, "timeout", null);
            return Optional.of(new InvocationResult.TimedOut(requestId, initSoFar));
        }
        return Optional.empty();
    }

    private InvocationResult answered(String requestId, Answer answer, Duration took, Optional<Duration> initDuration) {
        pump.drain(200);
        if (answer instanceof Answer.Response response) {
            finish(requestId, took, initDuration, Optional.empty(), Optional.empty());
            return new InvocationResult.Returned(requestId, took,
                    response.body().length == 0 ? null : new String(response.body(), StandardCharsets.UTF_8));
        }
        Answer.Error error = (Answer.Error) answer;
        boolean platformError = error.errorType().startsWith("Function.") || error.errorType().startsWith("Runtime.");
        finish(requestId, took, initDuration, platformError ? Optional.of("error") : Optional.empty(),
                platformError ? Optional.of(error.errorType()) : Optional.empty());
        if (error.errorType().equals(InitFailures.BAD_FUNCTION_CODE)) {
            shared.initFailures().failed(error.errorType(), error.errorMessage());
        }
        return new InvocationResult.Threw(requestId, took, error.errorType(), error.errorMessage());
    }

    private InvocationResult exited(String requestId, Delivery delivery, Optional<Duration> initDuration, String errorType, String status) {
        Instant deliveredAt = delivery.delivered().getNow(shared.clock().instant());
        Duration took = Duration.between(deliveredAt, shared.clock().instant());
        pump.drain(500);
        String message = "RequestId: " + requestId + " Error: Runtime exited with error: " + status;
        shared.function().log().line(LOG_TIME.format(shared.clock().instant()) + " " + message);
        finish(requestId, took, initDuration, Optional.of("error"), Optional.of(errorType));
        return new InvocationResult.Threw(requestId, took, errorType, message);
    }

    private void finish(String requestId, Duration took, Optional<Duration> initDuration, Optional<String> status,
                        Optional<String> errorType) {
        InvocationReport report = new InvocationReport(requestId, number, took, shared.function().memorySizeMb(),
                residentMb("VmHWM"), initDuration, status, errorType);
        shared.function().log().line(InvocationReport.endLine(requestId));
        shared.function().log().line(report.toLine());
        shared.function().reports().accept(report);
    }

    /** The invocation whose init failed still gets its START, END and REPORT lines, as on Lambda. */
    private void failedInit(String requestId, Duration initSoFar, String status, String errorType) {
        shared.function().log().line(InvocationReport.startLine(requestId, VERSION));
        finish(requestId, Duration.ZERO, Optional.of(initSoFar), Optional.of(status), Optional.ofNullable(errorType));
    }

    private void initReport(Duration initSoFar, String status, String errorType) {
        if (initReported) {
            return;
        }
        initReported = true;
        shared.function().log().line("INIT_REPORT Init Duration: " + String.format(Locale.ROOT, "%.2f", initSoFar.toNanos() / 1e6)
                + " ms\tPhase: init\tStatus: " + status + (errorType == null ? "" : "\tError Type: " + errorType));
    }

    private void start() {
        try {
            api = new RuntimeApiServer(shared.clock());
            List<String> command = new ArrayList<>();
            if (shared.function().cpuCgroup().isPresent()) {
                cgroup = CpuShare.createGroup(shared.function().cpuCgroup().get(), number, new LambdaJvmFlags(shared.function().memorySizeMb()).vcpus());
                command.addAll(CpuShare.joinAndExec(cgroup));
            }
            command.add(shared.function().javaHome().resolve("bin").resolve("java").toString());
            command.addAll(new LambdaJvmFlags(shared.function().memorySizeMb())
                    .flagsBeside(shared.function().environment().getOrDefault("JAVA_TOOL_OPTIONS", ""), shared.runtimeArchive()));
            // as Lambda's Java runtimes start it: org.crac's hooks (SnapStart) reach the runtime client's own CRaC core
            command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
            command.add(shared.nativeLibraryProperty());
            command.add("-javaagent:" + shared.guardAgent());
            command.add("-cp");
            command.add(RuntimeClientJars.classPath(shared.runtimeClasspath()));
            command.add(RuntimeClientJars.MAIN_CLASS);
            command.add(shared.function().handler());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(shared.taskRoot().path().toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.clear();
            env.putAll(variables());
            startedAt = shared.clock().instant();
            shared.function().log().line("INIT_START Runtime Version: java:21 (local: aws-lambda-java-runtime-interface-client "
                    + shared.runtimeClientVersion() + " on Java " + javaVersion() + ")\tEnvironment: " + number);
            process = pb.start();
            pump = LogPump.start(process, shared.function().log(), "lambda-environment-" + number + "-log");
            if (dead) {
                // closed while it was starting: kill() may have found no process yet, so the JVM just started goes now
                // (one of the two sees the other's write: both fields are volatile); the invocation then fails as exited
                close();
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("Cannot start an execution environment for " + shared.functionName() + ": " + e.getMessage(), e);
        }
    }

    /** Lambda's reserved variables, then the function's own. */
    private Map<String, String> variables() {
        PackagedFunction f = shared.function();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("_HANDLER", f.handler());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", shared.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(f.memorySizeMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", VERSION);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", f.snapStart() ? "snap-start" : "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + shared.functionName());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", STREAM_DAY.format(shared.clock().instant()) + "/[" + VERSION + "]" + hex(32));
        env.put("AWS_LAMBDA_RUNTIME_API", api.hostAndPort());
        env.put("LAMBDA_TASK_ROOT", shared.taskRoot().path().toString());
        env.put("LAMBDA_RUNTIME_DIR", shared.runtimeClasspath().get(0).getParent().toString());
        env.put("AWS_REGION", shared.region());
        env.put("AWS_DEFAULT_REGION", shared.region());
        env.putAll(RoleCredentials.asVariables(f.credentials()));
        env.putAll(f.environment());
        return env;
    }

    private OptionalInt residentMb(String field) {
        if (process == null) {
            return OptionalInt.empty();
        }
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    long kb = Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                    return OptionalInt.of((int) ((kb + 1023) / 1024));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return OptionalInt.empty();
    }

    private String exitStatus() {
        try {
            process.waitFor(1, TimeUnit.SECONDS);
            int code = process.exitValue();
            return code > 128 ? "signal: " + signalName(code - 128) : "exit status " + code;
        } catch (IllegalThreadStateException e) {
            return "exit status unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "exit status unknown";
        }
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "killed";
            case 6 -> "aborted";
            case 11 -> "segmentation fault";
            case 15 -> "terminated";
            default -> "signal " + signal;
        };
    }

    private static String traceId() {
        String epoch = Long.toHexString(System.currentTimeMillis() / 1000);
        return "Root=1-" + epoch + "-" + hex(24) + ";Parent=" + hex(16) + ";Sampled=0";
    }

    private static String hex(int digits) {
        StringBuilder b = new StringBuilder(digits);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }

    private String javaVersion() {
        return shared.function().javaHome().equals(Path.of(System.getProperty("java.home")))
                ? System.getProperty("java.version") : shared.function().javaHome().toString();
    }

    private void kill() {
        dead = true;
        if (process != null) {
            if (process.isAlive()) {
                // only while it lives: once it is gone its pid may be another process's (pids wrap at 32,768 on some
                // machines), and "its descendants" would then be that process's children
                process.descendants().forEach(ProcessHandle::destroyForcibly);
            }
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new Interrupted();
        }
    }

    /** The waiting thread was interrupted. */
    private static final class Interrupted extends RuntimeException {
        Interrupted() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        kill();
        if (api != null) {
            api.close();
        }
        if (cgroup != null) {
            CpuShare.removeGroup(cgroup);
        }
    }
}
