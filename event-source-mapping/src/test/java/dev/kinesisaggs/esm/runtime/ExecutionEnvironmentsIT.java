package dev.kinesisaggs.esm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import dev.kinesisaggs.esm.fixtures.LoggedRecords;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A function that is not ours, packaged as a Lambda .zip ({@link HandlerArtifact}), run in execution
 * environments under AWS's runtime interface client: what it receives, and what Lambda does when it
 * answers, throws, overruns its timeout, exits, runs out of memory or fails its init.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExecutionEnvironmentsIT {

    private static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:probe";
    private static final String STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/probe-stream";
    private static final EventJson EVENTS = new EventJson(STREAM_ARN, "eu-west-1", "arn:aws:iam::123456789012:role/probe");

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<InvocationReport> reports = new CopyOnWriteArrayList<>();

    private ExecutionEnvironments environments(String handler, int memoryMb, Duration timeout, Map<String, String> variables) {
        PackagedFunction function = PackagedFunction.builder()
                .artifact(HandlerArtifact.zip(dir))
                .handler(handler)
                .memorySizeMb(memoryMb)
                .environment(variables)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("probe-key", "probe-secret")))
                .log(log::add)
                .reports(reports::add)
                .build();
        return new ExecutionEnvironments(function, ARN, "eu-west-1", timeout, () -> UUID.randomUUID().toString(), Clock.systemUTC());
    }

    private static String event(String... data) {
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            records.add(new StreamRecord("shardId-000000000000", "4959033827149025660855969253836157109592157" + (1000 + i),
                    "key-" + i, data[i].getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-03T10:00:00.250Z").plusSeconds(i)));
        }
        return EVENTS.standardEvent(records);
    }

    private List<String> probeLines() {
        return log.stream().filter(l -> l.startsWith("probe ")).toList();
    }

    private static String field(String line, String name) {
        Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(name) + "=(\\S*)").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void aKinesisHandlerInAZipGetsTheEventAndTheEnvironmentLambdaGivesIt() throws Exception {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(30), Map.of("PROBE_OWN", "mine"))) {
            InvocationResult first = envs.invoke("shardId-000000000000", event("hello", "world"));
            assertThat(first).isInstanceOf(InvocationResult.Returned.class);
            JsonNode response = EventJson.mapper().readTree(((InvocationResult.Returned) first).responseJson());
            assertThat(response.get("batchItemFailures")).isEmpty();

            String line = probeLines().get(0);
            assertThat(line).contains(" record=49590338271490256608559692538361571095921571000/key-0/hello/" + STREAM_ARN,
                    " record=49590338271490256608559692538361571095921571001/key-1/world/" + STREAM_ARN);
            assertThat(field(line, "requestId")).isEqualTo(first.requestId());
            assertThat(field(line, "function")).isEqualTo("probe");
            assertThat(field(line, "memory")).isEqualTo("256");
            assertThat(Long.parseLong(field(line, "remainingMs"))).isBetween(20_000L, 30_000L);
            // the heap as Lambda's Java runtime sizes it: 85 % of the memory
            assertThat(Long.parseLong(field(line, "maxHeapMb"))).isBetween(200L, 218L);
            // started, as Lambda's Java runtimes are, with a class data sharing archive of the runtime's own (that the
            // JVM maps it: RuntimeArchiveIT)
            assertThat(field(line, "sharedArchive")).matches(".*/cds/runtime-[0-9a-f]{16}\\.jsa");
            assertThat(field(line, "AWS_LAMBDA_FUNCTION_NAME")).isEqualTo("probe");
            assertThat(field(line, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE")).isEqualTo("256");
            assertThat(field(line, "AWS_LAMBDA_FUNCTION_VERSION")).isEqualTo("$LATEST");
            assertThat(field(line, "AWS_REGION")).isEqualTo("eu-west-1");
            assertThat(field(line, "AWS_EXECUTION_ENV")).isEqualTo("AWS_Lambda_java21");
            assertThat(field(line, "_HANDLER")).isEqualTo(HandlerArtifact.PROBE_HANDLER);
            assertThat(field(line, "TZ")).isEqualTo(":UTC");
            assertThat(field(line, "AWS_LAMBDA_INITIALIZATION_TYPE")).isEqualTo("on-demand");
            assertThat(field(line, "AWS_ACCESS_KEY_ID")).isEqualTo("probe-key");
            assertThat(field(line, "PROBE_OWN")).isEqualTo("mine");
            assertThat(field(line, "LAMBDA_TASK_ROOT")).isEqualTo(field(line, "workingDirectory"));
            assertThat(field(line, "AWS_LAMBDA_RUNTIME_API")).startsWith("127.0.0.1:");

            InvocationResult second = envs.invoke("shardId-000000000000", event("again"));
            assertThat(second).isInstanceOf(InvocationResult.Returned.class);
            // warm: the same JVM, the same handler instance
            assertThat(field(probeLines().get(1), "invocation")).isEqualTo("2");
            assertThat(field(probeLines().get(1), "pid")).isEqualTo(field(line, "pid"));
            assertThat(envs.environmentsStarted()).isEqualTo(1);
        }
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0).cold()).isTrue();
        assertThat(reports.get(1).cold()).isFalse();
        assertThat(reports.get(0).maxMemoryUsedMb()).isPresent();
        assertThat(log).anyMatch(l -> l.startsWith("INIT_START "));
        assertThat(log).contains("START RequestId: " + reports.get(0).requestId() + " Version: $LATEST",
                "END RequestId: " + reports.get(0).requestId());
        assertThat(log).anyMatch(l -> l.matches("REPORT RequestId: " + reports.get(0).requestId()
                + "\tDuration: [0-9.]+ ms\tBilled Duration: [0-9]+ ms\tMemory Size: 256 MB\tMax Memory Used: [0-9]+ MB\tInit Duration: [0-9.]+ ms\t"));
        assertThat(log).anyMatch(l -> l.matches("REPORT RequestId: " + reports.get(1).requestId()
                + "\tDuration: [0-9.]+ ms\tBilled Duration: [0-9]+ ms\tMemory Size: 256 MB\tMax Memory Used: [0-9]+ MB\t"));
        // the handler's line lies between START and END of its invocation
        int start = log.indexOf("START RequestId: " + reports.get(0).requestId() + " Version: $LATEST");
        int end = log.indexOf("END RequestId: " + reports.get(0).requestId());
        assertThat(log.indexOf(probeLines().get(0))).isBetween(start, end);
    }

    @Test
    void theRuntimesJvmFlagsAreTheDefaultAndTheFunctionsJavaToolOptionsOverrideThemAsAwsDocuments() {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(30), Map.of())) {
            assertThat(envs.invoke("shardId-000000000000", event("default"))).isInstanceOf(InvocationResult.Returned.class);
        }
        // C2 for a compute-heavy function, another collector: given on our command line as well, the second would stop the JVM
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(30),
                Map.of("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4 -XX:+UseParallelGC"))) {
            assertThat(envs.invoke("shardId-000000000000", event("tuned"))).isInstanceOf(InvocationResult.Returned.class);
        }
        assertThat(probeLines()).hasSize(2);
        assertThat(field(probeLines().get(0), "tieredStopAtLevel")).isEqualTo("1");
        assertThat(field(probeLines().get(0), "collectors").split("\\+")).containsExactlyInAnyOrder("Copy", "MarkSweepCompact"); // serial
        assertThat(field(probeLines().get(1), "tieredStopAtLevel")).isEqualTo("4");
        assertThat(field(probeLines().get(1), "collectors").split("\\+")).containsExactlyInAnyOrder("PS_Scavenge", "PS_MarkSweep"); // parallel
        assertThat(log).contains("Picked up JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=4 -XX:+UseParallelGC");
    }

    @Test
    void aTimeoutFailsTheInvocationAndEndsTheEnvironment() {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(2), Map.of())) {
            assertThat(envs.invoke("s", event("warm-up"))).isInstanceOf(InvocationResult.Returned.class);
            InvocationResult slow = envs.invoke("s", event("sleep:60000"));
            assertThat(slow).isInstanceOf(InvocationResult.TimedOut.class);
            assertThat(slow.duration()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
            assertThat(log).contains(log.stream().filter(l -> l.endsWith(slow.requestId() + " Task timed out after 2.00 seconds")).findFirst().orElseThrow());
            assertThat(reports.get(1).status()).contains("timeout");

            InvocationResult after = envs.invoke("s", event("ok"));
            assertThat(after).isInstanceOf(InvocationResult.Returned.class);
            assertThat(envs.environmentsStarted()).isEqualTo(2);
            assertThat(reports.get(2).cold()).isTrue();
        }
    }

    @Test
    void anExceptionIsAnErrorResponseAndTheEnvironmentStaysWarm() {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(30), Map.of())) {
            InvocationResult thrown = envs.invoke("s", event("throw"));
            assertThat(thrown).isInstanceOfSatisfying(InvocationResult.Threw.class, t -> {
                assertThat(t.errorType()).isEqualTo("java.lang.IllegalArgumentException");
                assertThat(t.errorMessage()).isEqualTo("asked to throw");
            });
            assertThat(envs.invoke("s", event("ok"))).isInstanceOf(InvocationResult.Returned.class);
            assertThat(envs.environmentsStarted()).isEqualTo(1);
        }
    }

    @Test
    void aRuntimeThatExitsFailsTheInvocationAsRuntimeExitError() {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(30), Map.of())) {
            InvocationResult exited = envs.invoke("s", event("exit"));
            assertThat(exited).isInstanceOfSatisfying(InvocationResult.Threw.class, t -> {
                assertThat(t.errorType()).isEqualTo("Runtime.ExitError");
                assertThat(t.errorMessage()).isEqualTo("RequestId: " + t.requestId() + " Error: Runtime exited with error: exit status 3");
            });
            assertThat(reports.get(0).errorType()).contains("Runtime.ExitError");
            assertThat(envs.invoke("s", event("ok"))).isInstanceOf(InvocationResult.Returned.class);
            assertThat(envs.environmentsStarted()).isEqualTo(2);
        }
    }

    /**
     * A response over Lambda's 6 MB fails the invocation with Lambda's error; the runtime client then posts that failure
     * as the invocation's error (its loop does so for any failed response POST), which is taken, so the environment
     * goes on warm. Answered 400, it ended the runtime, and the next invocation was cold.
     */
    @Test
    void aResponseOverSixMegabytesFailsTheInvocationAndTheEnvironmentStaysWarm() {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 512, Duration.ofSeconds(30), Map.of())) {
            InvocationResult tooLarge = envs.invoke("s", event("answer-bytes:" + 7_000_000));
            assertThat(tooLarge).isInstanceOfSatisfying(InvocationResult.Threw.class,
                    t -> assertThat(t.errorType()).isEqualTo("Function.ResponseSizeTooLarge"));
            assertThat(envs.invoke("s", event("answer-bytes:" + 6_000_000))).as("under the limit").isInstanceOf(InvocationResult.Returned.class);
            assertThat(envs.environmentsStarted()).isEqualTo(1);
        }
    }

    @Test
    void runningOutOfMemoryFailsTheInvocationAndTheNextOneIsCold() {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 128, Duration.ofSeconds(30), Map.of())) {
            InvocationResult oom = envs.invoke("s", event("oom"));
            // the heap (85 % of 128 MB) fills first: the runtime client reports the error, then exits
            assertThat(oom).isInstanceOfSatisfying(InvocationResult.Threw.class,
                    t -> assertThat(t.errorType()).isIn("java.lang.OutOfMemoryError", "Runtime.OutOfMemory"));
            assertThat(envs.invoke("s", event("ok"))).isInstanceOf(InvocationResult.Returned.class);
            assertThat(envs.environmentsStarted()).isEqualTo(2);
        }
    }

    /** The records {@link InitFailures} logs while {@code action} runs. */
    private static List<java.util.logging.LogRecord> saidWhile(Runnable action) {
        return LoggedRecords.of(InitFailures.class, action);
    }

    @Test
    void aHandlerMethodTheClassLacksFailsEveryInvocationAndIsSaidOnce() {
        List<java.util.logging.LogRecord> warnings = saidWhile(() -> {
            try (ExecutionEnvironments envs = environments("example.handler.ProbeHandler::nosuch", 256, Duration.ofSeconds(30), Map.of())) {
                for (int i = 0; i < 2; i++) {
                    assertThat(envs.invoke("s", event("ok"))).isInstanceOfSatisfying(InvocationResult.Threw.class,
                            t -> assertThat(t.errorType()).isEqualTo("Runtime.BadFunctionCode"));
                }
            }
        });
        assertThat(warnings).singleElement().satisfies(r -> assertThat(r.getMessage())
                .contains("cannot run (Runtime.BadFunctionCode: No public method named nosuch"));
    }

    @Test
    void anInitErrorFailsTheInvocationAndIsReported() {
        List<java.util.logging.LogRecord> warnings = saidWhile(() -> {
            try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(30), Map.of("FAIL_INIT", "1"))) {
                InvocationResult failed = envs.invoke("s", event("ok"));
                assertThat(failed).isInstanceOfSatisfying(InvocationResult.Threw.class,
                        t -> assertThat(t.errorType() + ": " + t.errorMessage()).contains("init failed on purpose"));
                assertThat(log).anyMatch(l -> l.startsWith("INIT_REPORT Init Duration: ") && l.contains("Status: error"));
                // every invocation tries a fresh init, as on Lambda
                assertThat(envs.invoke("s", event("ok"))).isInstanceOf(InvocationResult.Threw.class);
                assertThat(envs.environmentsStarted()).isEqualTo(2);
            }
        });
        // said outside the function's log too, once: a shard retrying was the only sign of it
        assertThat(warnings).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(r.getMessage()).contains("cannot run (").contains("init failed on purpose")
                    .contains("each invocation fails alike until its code or handler is fixed");
        });
    }

    @Test
    void lanesInvokingAtOnceGetEnvironmentsOfTheirOwnAndKeepThem() throws Exception {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.PROBE_HANDLER, 256, Duration.ofSeconds(30), Map.of())) {
            for (int round = 0; round < 2; round++) {
                CompletableFuture<InvocationResult> a = CompletableFuture.supplyAsync(() -> envs.invoke("shard-a", event("sleep:1500")));
                CompletableFuture<InvocationResult> b = CompletableFuture.supplyAsync(() -> envs.invoke("shard-b", event("sleep:1500")));
                assertThat(a.get()).isInstanceOf(InvocationResult.Returned.class);
                assertThat(b.get()).isInstanceOf(InvocationResult.Returned.class);
            }
            assertThat(envs.environmentsStarted()).isEqualTo(2);
            // each environment served two invocations: each lane kept its own
            assertThat(reports.stream().collect(java.util.stream.Collectors.groupingBy(InvocationReport::environment,
                    java.util.stream.Collectors.counting()))).containsOnly(Map.entry(1, 2L), Map.entry(2, 2L));
        }
    }

    @Test
    void aStreamHandlerCarriesItsWindowStateBetweenInvocations() throws Exception {
        try (ExecutionEnvironments envs = environments(HandlerArtifact.COUNTING_WINDOW_HANDLER, 256, Duration.ofSeconds(30), Map.of())) {
            TimeWindow window = TimeWindow.containing(Instant.parse("2026-12-03T10:00:05Z"), 30);
            List<StreamRecord> three = List.of(record(1), record(2), record(3));
            JsonNode state = EventJson.mapper().createObjectNode();
            for (int i = 0; i < 2; i++) {
                InvocationResult r = envs.invoke("s", EVENTS.windowEvent(three, window, state, "shardId-000000000000", false, false));
                state = EventJson.mapper().readTree(((InvocationResult.Returned) r).responseJson()).get("state");
            }
            assertThat(state.get("count").asText()).isEqualTo("6");
            envs.invoke("s", EVENTS.windowEvent(List.of(), window, state, "shardId-000000000000", true, false));
            assertThat(log).contains("window-total 6");
        }
    }

    private static StreamRecord record(int n) {
        return new StreamRecord("shardId-000000000000", "4959033827149025660855969253836157109592157" + (2000 + n), "k",
                ("r" + n).getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-03T10:00:05Z"));
    }
}
