package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataDirectoryTest {

    @Test
    void aNewDemoDeletesTheDirectoriesOfDemosWhoseJvmIsGoneAndKeepsTheOthers(@TempDir Path temporary) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path orphan = leftover(temporary, "kinesis-aggs-demo-data-1", Long.toString(finished.pid()));
        Path running = leftover(temporary, "kinesis-aggs-demo-data-2", Long.toString(ProcessHandle.current().pid()));
        Path beingCreated = Files.createDirectory(temporary.resolve("kinesis-aggs-demo-data-3"));
        Path someoneElses = leftover(temporary, "other-data-4", Long.toString(finished.pid()));

        try (DemoDataDirectory data = DemoDataDirectory.create(temporary)) {
            assertThat(orphan).doesNotExist();
            assertThat(running).exists();
            assertThat(beingCreated).exists();
            assertThat(someoneElses).exists();
            assertThat(data.path()).isDirectory().hasParent(temporary);
            Files.write(data.path().resolve("000005.ldb"), new byte[3 * 1024]);
            assertThat(data.bytesOnDisk().orElseThrow()).isGreaterThanOrEqualTo(3 * 1024);

            data.close();
            assertThat(data.path()).doesNotExist();
            assertThat(data.bytesOnDisk()).isEmpty();
        }
    }

    private static Path leftover(Path temporary, String name, String ownerPid) throws Exception {
        Path directory = Files.createDirectory(temporary.resolve(name));
        Files.writeString(directory.resolve("owner.pid"), ownerPid);
        Files.createDirectories(directory.resolve("dynamodb"));
        Files.write(directory.resolve("dynamodb").resolve("000001.ldb"), new byte[100]);
        return directory;
    }
}
