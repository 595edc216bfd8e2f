package dev.kinesisaggs.function.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.function.measuring.PackagedFunctionJvm;
import dev.kinesisaggs.function.storage.TableNames;
import dev.kinesisaggs.function.storage.Tables;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

        List<String> command = new PackagedFunctionJvm(jar).command(
                List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), ColdStartMain.class, event, prime);
        PackagedFunctionJvm.Run run = PackagedFunctionJvm.run(command, aws, tables, Duration.ofSeconds(120));
        assertThat(run.finished()).isTrue();
        System.out.println(run.output().lines().filter(l -> l.startsWith("coldstart")).collect(Collectors.joining("\n"))
                + " processWallMs=" + run.wallMs());

        assertThat(run.exitValue()).as(run.output()).isZero();
        assertThat(run.output()).contains("records=1000 failures=0");
        assertThat(aws.dynamoDb().scan(r -> r.tableName(tables.trips())).count()).isEqualTo(1000);
    }
}
