package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory that cannot be one is refused with the reason (the JDK's own message is the path alone). */
class DataDirectoryLockTest {

    @Test
    void aFileWhereTheDirectoryShouldBeIsSaidAsSuch(@TempDir Path temp) throws Exception {
        Path file = Files.writeString(temp.resolve("data"), "not a directory");

        assertThatThrownBy(() -> DataDirectoryLock.acquire(temp.resolve("./data")))
                .isInstanceOf(LocalAwsException.class)
                .hasMessage("Cannot use " + file.toAbsolutePath() + " as the emulators' data directory (a file of that name"
                        + " is there, not a directory): give a directory you can write.");
    }
}
