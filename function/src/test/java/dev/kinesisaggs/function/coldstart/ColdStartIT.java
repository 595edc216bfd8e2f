package dev.kinesisaggs.function.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.function.storage.TableNames;
import dev.kinesisaggs.function.storage.Tables;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold start, measured: a fresh JVM on the packaged artifact constructs the handler and runs a
 * first invocation of 1,000 records against dynalite. It prints the figures (see the function
 * README); it checks only that the invocation did its work, never how fast: speed is not a
 * test's business on a shared machine.
 */
@ExtendWith(LocalAwsExtension.class)
class ColdStartIT {

    @Test
    void aFreshJvmOnThePackagedArtifactHandlesAThousandRecords(LocalAws aws, @TempDir Path dir) throws Exception {
        run(aws, dir, "coldstart", false);
    }

    /** As above, with the SnapStart priming hook run after construction: priming writes nothing, the invocation all. */
    @Test
    void aPrimedFreshJvmHandlesTheSameThousandRecords(LocalAws aws, @TempDir Path dir) throws Exception {
        run(aws, dir, "primed", true);
    }

    private void run(LocalAws aws, Path dir, String tablePrefix, boolean prime) throws Exception {
        Path jar = Path.of("target", "kinesis-aggs-function-lambda.jar").toAbsolutePath();
        assertThat(jar).exists();
        TableNames tables = new TableNames(tablePrefix + "-aggs", tablePrefix + "-trips", tablePrefix + "-rejects");
        Tables.createIfMissing(aws.dynamoDb(), tables);

        List<WindowEvents.Rec> records = new ArrayList<>();
        Instant arrival = Instant.parse("2020-12-09T07:04:05Z");
        for (int i = 0; i < 1000; i++) {
            records.add(new WindowEvents.Rec(WindowEvents.seq("7", i), "c" + i, arrival, TripRecords.trip("c" + i, 1 + i % 2, 1 + i % 6)));
        }
        Path event = dir.resolve("event.json");
        Files.writeString(event, WindowEvents.json("shardId-000000000007", "2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z",
                Map.of(), false, false, records), StandardCharsets.UTF_8);

        // the artifact, plus what the measuring program itself needs (it is not part of the function)
        List<String> classpath = new ArrayList<>();
        classpath.add(jar.toString());
        classpath.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("aws-lambda-java-serialization") || p.contains("joda-time"))
                .forEach(classpath::add);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", String.join(File.pathSeparator, classpath), ColdStartMain.class.getName(), event.toString()));
        if (prime) {
            command.add("--prime");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(aws.environment());
        pb.environment().put("dynamoDBTableName", tables.aggregates());
        pb.environment().put("tripsTableName", tables.trips());
        pb.environment().put("rejectsTableName", tables.rejects());
        pb.redirectErrorStream(true);
        long spawned = System.nanoTime();
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        long wallMs = (System.nanoTime() - spawned) / 1_000_000;
        System.out.println(output.lines().filter(l -> l.startsWith("coldstart")).collect(Collectors.joining("\n"))
                + " processWallMs=" + wallMs);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("records=1000 failures=0");
        assertThat(aws.dynamoDb().scan(r -> r.tableName(tables.trips())).count()).isEqualTo(1000);
    }
}
