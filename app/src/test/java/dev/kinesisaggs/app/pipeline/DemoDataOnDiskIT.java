package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.app.commands.KinesisAggs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The demo's emulators keep their data on disk, which is what keeps their memory flat on long runs: both start with
 * {@code --path} in the demo's data directory, the stream's records and the tables' items land there as LevelDB files,
 * {@code --soak-every} prints each process's memory and the data's size, and the directory is gone after the demo.
 * ({@code DemoCommandIT} checks the windows, which the demo now always computes with its data on disk.)
 *
 * <p>The test stops the demo (its Ctrl-C) as soon as what it checks is there ({@code --duration 90s} is only a cap): a
 * fixed 15 s demo once gave a single memory line on a loaded machine, where its start took 14 s.
 */
class DemoDataOnDiskIT {
    private static final Pattern DATA = Pattern.compile("Emulator data: on disk in (\\S+), deleted at exit");
    private static final Pattern MEMORY_LINE = Pattern.compile(
            "(?m)^\\[memory] \\d+:\\d\\d, [\\d,]+ trips sent; RSS \\(anonymous\\) MB: demo \\d+ \\(\\d+\\), dynalite \\d+ \\(\\d+\\),"
            + " kinesalite \\d+ \\(\\d+\\), env1 \\d+ \\(\\d+\\), env2 \\d+ \\(\\d+\\); on disk ([\\d,]+) MB$");

    @Test
    void theEmulatorsWriteTheirDataToATemporaryDirectoryThatIsDeletedAtExit() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CountDownLatch ctrlC = new CountDownLatch(1);
        CommandLine commandLine = KinesisAggs.commandLine(ctrlC::await, Clock.systemUTC());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute("demo", "--duration", "90s",
                "--window", "5s", "--rate", "500", "--port", "0", "--soak-every", "3s", "--unclean", "0"));

        await().atMost(Duration.ofMinutes(2)).until(() -> DATA.matcher(out.toString()).find() || exit.isDone());
        Matcher data = DATA.matcher(out.toString());
        assertThat(data.find()).as("the data directory line; output:%n%s%nstderr:%n%s", out, err).isTrue();
        Path directory = Path.of(data.group(1));

        // the demo's two emulators keep their data there (other classes of this JVM may have emulators of their own)
        List<String> emulators = ProcessHandle.current().descendants()
                .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("kinesis-aggs-guard.js"))
                .filter(c -> c.contains("--path " + directory)).toList();
        assertThat(emulators).hasSize(2);
        // records and items are written to LevelDB's files as they come, not held in the emulators' memory; and the
        // memory is printed every --soak-every
        await().atMost(Duration.ofSeconds(80)).failFast("the demo ended", exit::isDone)
                .untilAsserted(() -> {
                    assertThat(levelDbBytes(directory.resolve("kinesalite"))).as("kinesalite's LevelDB bytes").isGreaterThan(100_000);
                    assertThat(levelDbBytes(directory.resolve("dynamodb"))).as("dynalite's LevelDB bytes").isGreaterThan(100_000);
                    assertThat(MEMORY_LINE.matcher(out.toString()).results().count()).as("memory lines in:%n%s", out)
                            .isGreaterThanOrEqualTo(2);
                });

        ctrlC.countDown();
        assertThat(exit.get(90, TimeUnit.SECONDS)).as("exit code; stderr:%n%s", err).isZero();
        assertThat(directory).doesNotExist();
    }

    /** The size of LevelDB's log and table files, where the data is before and after compaction. */
    private static long levelDbBytes(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".ldb"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
