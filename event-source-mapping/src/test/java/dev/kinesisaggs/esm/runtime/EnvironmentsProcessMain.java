package dev.kinesisaggs.esm.runtime;

import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * A program that starts an execution environment (one invocation of the probe handler, which prints its
 * JVM's pid to standard output), then keeps it busy in a second invocation of ten minutes, and waits to be
 * killed: {@link KilledParentIT}'s subject. (An idle environment would end with its program anyway: its
 * runtime's connection to the Runtime API breaks. A busy one has only the guard.)
 */
public final class EnvironmentsProcessMain {

    public static void main(String[] args) throws Exception {
        PackagedFunction function = PackagedFunction.builder()
                .artifact(HandlerArtifact.zip(Path.of(args[0])))
                .handler(HandlerArtifact.PROBE_HANDLER)
                .credentials(AnonymousCredentialsProvider.create())
                .log(line -> {
                    System.out.println(line);
                    System.out.flush();
                })
                .build();
        ExecutionEnvironments environments = new ExecutionEnvironments(function, "arn:aws:lambda:us-east-1:123456789012:function:probe",
                "us-east-1", Duration.ofSeconds(900), () -> UUID.randomUUID().toString(), Clock.systemUTC());
        environments.invoke("shardId-000000000000", event("hello"));
        System.out.println("invoked");
        System.out.flush();
        environments.invoke("shardId-000000000000", event("sleep:600000")); // never closes its environments: only its death ends them
    }

    private static String event(String data) {
        return new EventJson("arn:aws:kinesis:us-east-1:123456789012:stream/s", "us-east-1", "arn:aws:iam::123456789012:role/r")
                .standardEvent(List.of(new StreamRecord("shardId-000000000000", "1", "k", data.getBytes(StandardCharsets.UTF_8),
                        Instant.now())));
    }
}
