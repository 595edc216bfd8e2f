package dev.kinesisaggs.esm.runtime;

import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Invoker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The execution environments of one function, behind the Lambda Runtime API: the event source
 * mapping's {@link Invoker} when the function runs as Lambda runs it, a packaged artifact under AWS's
 * runtime interface client in child JVMs.
 *
 * <p>An environment serves one invocation at a time. An invocation takes the idle environment that
 * last served its lane (shard, or shard and lane with ParallelizationFactor), else any idle one, else
 * a new one (cold); so a shard gets an environment of its own, created on first use and then reused,
 * and there are as many environments as invocations in flight at once, as on Lambda. An environment
 * that timed out, crashed or exited is replaced by a new one on the next invocation.
 *
 * <p>Environments are child processes that never outlive this program: each JVM runs a guard that
 * halts it when the pipe from this process closes, which happens however this process ends.
 */
public final class ExecutionEnvironments implements Invoker, AutoCloseable {

    private final ExecutionEnvironment.Shared shared;
    private final Supplier<String> requestIds;
    private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>();
    private final Map<String, ExecutionEnvironment> lastOfLane = new HashMap<>();
    private final List<ExecutionEnvironment> all = new ArrayList<>();
    private int started;
    private boolean closed;

    /**
     * @param functionArn   what the runtime API hands the function as its invoked ARN; its last part names it unless the function has a name
     * @param defaultRegion the region when the function sets none
     * @param timeout       the function timeout
     * @throws IllegalStateException with one sentence, on a platform the runtime client does not support
     */
    public ExecutionEnvironments(PackagedFunction function, String functionArn, String defaultRegion, Duration timeout,
                                 Supplier<String> requestIds, Clock clock) {
        checkPlatform();
        this.requestIds = requestIds;
        RuntimeClientJars client = RuntimeClientJars.embedded();
        List<Path> classpath = client.install();
        TaskRoot taskRoot = TaskRoot.unpack(function.artifact());
        Path guard;
        try {
            guard = EnvironmentGuard.writeAgentJar(taskRoot.workDirectory().resolve("environment-guard.jar"));
        } catch (IOException e) {
            taskRoot.close();
            throw new UncheckedIOException(e);
        }
        String name = function.functionName().orElse(functionArn.substring(functionArn.lastIndexOf(':') + 1));
        this.shared = new ExecutionEnvironment.Shared(function, name, functionArn, function.region().orElse(defaultRegion), timeout,
                taskRoot, classpath, RuntimeArchive.forRuntime(function.javaHome(), classpath), client.nativeLibraryProperty(), guard,
                client.version(), clock, new InitFailures());
    }

    /**
     * Why execution environments cannot run here, if they cannot: the runtime client's native code is built
     * for Linux on x86_64 and arm64 (glibc and musl) only.
     */
    public static Optional<String> unsupportedPlatform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return Optional.empty();
        }
        return Optional.of("AWS's Java runtime client runs on Linux (x86_64 or arm64) only, and this is "
                + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
    }

    private static void checkPlatform() {
        unsupportedPlatform().ifPresent(reason -> {
            throw new IllegalStateException(reason + ": run the function in this process instead.");
        });
    }

    /** The function's name, as the environments' {@code AWS_LAMBDA_FUNCTION_NAME}. */
    public String functionName() {
        return shared.functionName();
    }

    @Override
    public InvocationResult invoke(String lane, String eventJson) {
        String requestId = requestIds.get();
        byte[] event = eventJson.getBytes(StandardCharsets.UTF_8);
        if (event.length > RuntimeApiServer.MAX_PAYLOAD_BYTES) {
            // Lambda refuses such an invoke before any environment sees it
            return new InvocationResult.Threw(requestId, Duration.ZERO, "RequestEntityTooLargeException",
                    "Request must be smaller than " + RuntimeApiServer.MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation");
        }
        ExecutionEnvironment environment;
        try {
            environment = acquire(lane);
        } catch (IllegalStateException closing) {
            return new InvocationResult.Threw(requestId, Duration.ZERO, "Interrupted", closing.getMessage());
        }
        try {
            return environment.invoke(requestId, event);
        } finally {
            release(lane, environment);
        }
    }

    private ExecutionEnvironment acquire(String lane) {
        while (true) {
            ExecutionEnvironment candidate;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the function's execution environments are closed");
                }
                ExecutionEnvironment own = lastOfLane.get(lane);
                if (own != null && idle.remove(own)) {
                    candidate = own;
                } else if (!idle.isEmpty()) {
                    candidate = idle.poll();
                } else {
                    candidate = new ExecutionEnvironment(shared, ++started);
                    all.add(candidate);
                    return candidate;
                }
            }
            // an environment is ready once its runtime asks for the next invocation; one that exits instead is gone
            if (!candidate.dead() && candidate.awaitReady(Duration.ofSeconds(2))) {
                return candidate;
            }
            discard(candidate);
        }
    }

    private synchronized void release(String lane, ExecutionEnvironment environment) {
        if (closed || environment.dead()) {
            discard(environment);
            return;
        }
        idle.addFirst(environment);
        lastOfLane.put(lane, environment);
    }

    private synchronized void discard(ExecutionEnvironment environment) {
        environment.close();
        all.remove(environment);
        idle.remove(environment);
        lastOfLane.values().removeIf(e -> e == environment);
    }

    /** Environments started so far (each one a cold start). */
    public synchronized int environmentsStarted() {
        return started;
    }

    /** Environments alive now. */
    public synchronized int environmentsAlive() {
        return (int) all.stream().filter(e -> e.started() && !e.dead()).count();
    }

    /** Stops every environment at once (an invocation in flight fails) and deletes the unpacked code. */
    @Override
    public void close() {
        List<ExecutionEnvironment> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(all);
            all.clear();
            idle.clear();
        }
        toClose.forEach(ExecutionEnvironment::close);
        shared.taskRoot().close();
    }
}
