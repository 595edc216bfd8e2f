package dev.kinesisaggs.esm.runtime;

import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * What an invocation costs the mapping beyond the handler's own work: a handler that returns at once (the probe
 * artifact, not ours) in one execution environment under AWS's runtime client, invoked warm again and again; prints
 * the mean time per invocation of each round. A command, not a test (no time limit decides an outcome):
 *
 * <pre>
 * ./mvnw -q -pl event-source-mapping exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.kinesisaggs.esm.runtime.InvocationOverheadBenchmark [ROUNDS] [INVOCATIONS]"
 * </pre>
 */
public final class InvocationOverheadBenchmark {

    private InvocationOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int invocations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("invocation-overhead");
        try {
            measure(dir, rounds, invocations);
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }

    private static void measure(Path dir, int rounds, int invocations) throws Exception {
        PackagedFunction function = PackagedFunction.builder()
                .artifact(HandlerArtifact.zip(dir))
                .handler(HandlerArtifact.PROBE_HANDLER)
                .memorySizeMb(512)
                .environment(Map.of())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("probe-key", "probe-secret")))
                .log(line -> { })
                .reports(report -> { })
                .build();
        EventJson events = new EventJson("arn:aws:kinesis:eu-west-1:123456789012:stream/probe-stream", "eu-west-1",
                "arn:aws:iam::123456789012:role/probe");
        String event = events.standardEvent(List.of(new StreamRecord("shardId-000000000000", "49590338271490256608559692538361571095921571000",
                "key-0", "hello".getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-03T10:00:00Z"))));
        try (ExecutionEnvironments environments = new ExecutionEnvironments(function, "arn:aws:lambda:eu-west-1:123456789012:function:probe",
                "eu-west-1", Duration.ofSeconds(30), () -> UUID.randomUUID().toString(), Clock.systemUTC())) {
            long cold = System.nanoTime();
            environments.invoke("shardId-000000000000", event);
            System.out.printf("cold: %.1f ms to the first answer%n", (System.nanoTime() - cold) / 1e6);
            for (int round = 1; round <= rounds; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < invocations; i++) {
                    environments.invoke("shardId-000000000000", event);
                }
                System.out.printf("round %d: %.2f ms per warm invocation (%d invocations)%n", round,
                        (System.nanoTime() - start) / 1e6 / invocations, invocations);
            }
        }
    }
}
