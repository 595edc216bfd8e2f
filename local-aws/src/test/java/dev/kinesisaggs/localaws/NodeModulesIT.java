package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One installation from an empty cache, checked three ways (an {@code npm ci} of the emulators' tree costs some 14 CPU-s,
 * so the suite makes one).
 */
class NodeModulesIT {

    /**
     * Two JVMs install into an empty cache at the same time, with an empty npm cache (as on a
     * fresh machine): one installs, the other waits and uses the same tree, and the emulators
     * then run from it; a third install of the same lockfile finds the tree and runs no npm.
     */
    @Test
    void twoJvmsInstallingAtOnceGetOneWorkingInstallationThatLaterInstallsReuse(@TempDir Path cache, @TempDir Path npmCache)
            throws Exception {
        List<Process> installers = List.of(installer(cache, npmCache), installer(cache, npmCache));
        List<String> printed = installers.stream().map(NodeModulesIT::output).toList();

        assertThat(printed).hasSize(2).allSatisfy(path -> assertThat(path).isEqualTo(printed.get(0)));
        Path nodeModules = Path.of(printed.get(0));
        assertThat(nodeModules).startsWith(cache.toAbsolutePath()).endsWith(Path.of("node_modules"));
        assertThat(nodeModules.resolve("dynalite/cli.js")).isRegularFile();
        assertThat(nodeModules.resolve("kinesalite/cli.js")).isRegularFile();
        assertThat(nodeModules.resolve("s3rver/bin/s3rver.js")).isRegularFile();
        assertThat(nodeModules.resolve("kinesis-local/main.js")).isRegularFile();
        assertThat(nodeModules.resolve("aws-kinesis-agg")).isDirectory();
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .as("one installation and its lock, no half-done temporary directory")
                    .containsExactlyInAnyOrder(nodeModules.getParent().getFileName().toString(),
                            nodeModules.getParent().getFileName() + ".lock");
        }

        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withKinesisEmulator(KinesisEmulator.KINESALITE),
                new NodeModules(cache), Clock.systemUTC())) {
            assertThat(aws.nodeModules()).isEqualTo(nodeModules);
            assertThat(aws.dynamoDb().listTables().tableNames()).isEmpty();
            assertThat(aws.kinesis().listStreams().streamNames()).isEmpty();
        }
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withKinesisEmulator(KinesisEmulator.KINESIS_LOCAL),
                new NodeModules(cache), Clock.systemUTC())) {
            assertThat(aws.kinesis().listStreams().streamNames()).isEmpty();
        }

        Path marker = nodeModules.resolve("placed-by-this-test");
        Files.writeString(marker, "a reinstall would remove this file");
        assertThat(new NodeModules(cache).installation().nodeModules()).isEqualTo(nodeModules);
        assertThat(marker).exists();
    }

    private static Process installer(Path cache, Path npmCache) {
        try {
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-D" + NodeModules.CACHE_PROPERTY + "=" + cache, "-cp", System.getProperty("java.class.path"),
                    InstallNodeModules.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("npm_config_cache", npmCache.toString());
            return builder.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String output(Process process) {
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("installer exit code; output: %s", out).isZero();
            return out.lines().reduce((a, b) -> b).orElse("");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
