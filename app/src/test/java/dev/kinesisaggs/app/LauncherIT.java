package dev.kinesisaggs.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command on a tree without build output, as a user's fresh clone is: the launcher builds
 * the command line with its quick build (tests not compiled) and runs it. The rest of the build never goes
 * through that quick build, so a module that only builds with its tests (a test-jar dependency, say) would
 * break the main command without this test.
 */
class LauncherIT {

    /** What a fresh clone does not have. */
    private static final Set<String> NOT_IN_A_CLONE = Set.of("target", "node_modules", ".git", ".jqwik-database");

    @Test
    void onATreeWithoutBuildOutputTheLauncherBuildsTheCommandLineAndRunsIt(@TempDir Path dir) throws Exception {
        Path repository = Path.of("").toAbsolutePath().getParent(); // failsafe runs in the app module's folder
        assertThat(repository.resolve("kinesis-aggs")).exists();
        Path clone = dir.resolve("kinesis-aggs");
        copyTree(repository, clone);

        ProcessBuilder launch = new ProcessBuilder(clone.resolve("kinesis-aggs").toString(), "--version")
                .directory(clone.toFile()).redirectErrorStream(true);
        Process process = launch.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Building kinesis-aggs").containsPattern("kinesis-aggs \\d+\\.\\d+");
        assertThat(clone.resolve("app/target/kinesis-aggs.jar")).exists();

        // built now: the launcher runs the command line with a bounded heap, and KINESIS_AGGS_JAVA_OPTS comes after it
        assertThat(launch(clone, "-XshowSettings:vm")).doesNotContain("Building").contains("Max. Heap Size: 512.00M");
        assertThat(launch(clone, "-XshowSettings:vm -Xmx300m")).contains("Max. Heap Size: 300.00M");
    }

    private static String launch(Path clone, String javaOptions) throws Exception {
        ProcessBuilder launch = new ProcessBuilder(clone.resolve("kinesis-aggs").toString(), "--version")
                .directory(clone.toFile()).redirectErrorStream(true);
        launch.environment().put("KINESIS_AGGS_JAVA_OPTS", javaOptions);
        Process process = launch.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                if (NOT_IN_A_CLONE.contains(directory.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(directory).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
