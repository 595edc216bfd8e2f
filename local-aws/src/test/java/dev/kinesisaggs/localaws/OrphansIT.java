package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphansIT {

    /** The second line of defence: an emulator whose JVM is gone but which still runs is killed at the next start. */
    @Test
    void anEmulatorWhoseJvmIsGoneIsKilledAndOneWhoseJvmLivesIsLeftAlone(@TempDir Path run) throws Exception {
        Path guard = NodeModules.inUserCache().installation().guardScript();
        Process orphan = idleNodeWithGuard(guard);
        Process owned = idleNodeWithGuard(guard);
        try {
            Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version").redirectErrorStream(true).start();
            gone.getInputStream().readAllBytes();
            gone.waitFor();
            Files.writeString(run.resolve(orphan.pid() + ".pid"), Long.toString(gone.pid()));
            Files.writeString(run.resolve(owned.pid() + ".pid"), Long.toString(ProcessHandle.current().pid()));

            assertThat(new PidFiles(run).killOrphans()).isEqualTo(1);

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(owned.isAlive()).isTrue();
            assertThat(run.resolve(orphan.pid() + ".pid")).doesNotExist();
            assertThat(run.resolve(owned.pid() + ".pid")).exists();
        } finally {
            orphan.destroyForcibly();
            owned.destroyForcibly();
        }
    }

    @Test
    void aPidFileNamingAProcessThatIsNotOurEmulatorKillsNothing(@TempDir Path run) throws Exception {
        Process stranger = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(run.resolve(stranger.pid() + ".pid"), "999999999");
            assertThat(new PidFiles(run).killOrphans()).isZero();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void anEmulatorThatDoesNotAnswerInTimeIsReportedWithItsLog() {
        assertThatThrownBy(() -> LocalAws.start(LocalAwsOptions.defaults().withStartTimeout(Duration.ofMillis(1))))
                .isInstanceOf(LocalAwsException.class)
                .hasMessageContaining("emulator (dynalite) did not answer within 0.001 s")
                .hasMessageContaining("the last lines of its log:");
    }

    private static Process idleNodeWithGuard(Path guard) throws Exception {
        // stdin stays open (we hold it), so the guard keeps the process alive: only the pid file can end it
        return new ProcessBuilder(NodeRuntime.node(), "--require", guard.toString(), "-e", "setInterval(() => {}, 1000)")
                .start();
    }
}
