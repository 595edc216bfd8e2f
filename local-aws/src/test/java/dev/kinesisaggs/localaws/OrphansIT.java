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
            pidFile(run, orphan.toHandle(), gone.pid(), 1_000, PidFiles.startMillis(orphan.toHandle()));
            pidFile(run, owned.toHandle(), ProcessHandle.current().pid(), PidFiles.startMillis(ProcessHandle.current()),
                    PidFiles.startMillis(owned.toHandle()));

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
            pidFile(run, stranger.toHandle(), 999_999_999, 1_000, PidFiles.startMillis(stranger.toHandle()));
            assertThat(new PidFiles(run).killOrphans()).isZero();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void anEmulatorPidReusedByAnotherRunsEmulatorIsNotKilled(@TempDir Path run) throws Exception {
        Path guard = NodeModules.inUserCache().installation().guardScript();
        Process another = idleNodeWithGuard(guard);
        try {
            // a stale file of a run whose owner is gone, for an emulator that had this pid before: it started earlier
            pidFile(run, another.toHandle(), 999_999_999, 1_000, PidFiles.startMillis(another.toHandle()) - 60_000);

            assertThat(new PidFiles(run).killOrphans()).isZero();

            assertThat(another.isAlive()).isTrue();
            assertThat(run.resolve(another.pid() + ".pid")).doesNotExist();
        } finally {
            another.destroyForcibly();
        }
    }

    @Test
    void anOwnerPidReusedByAnotherProcessCountsAsGone(@TempDir Path run) throws Exception {
        Path guard = NodeModules.inUserCache().installation().guardScript();
        Process orphan = idleNodeWithGuard(guard);
        try {
            // the owner's pid is alive (this JVM's), but it is not the process that started the emulator
            pidFile(run, orphan.toHandle(), ProcessHandle.current().pid(), PidFiles.startMillis(ProcessHandle.current()) - 60_000,
                    PidFiles.startMillis(orphan.toHandle()));

            assertThat(new PidFiles(run).killOrphans()).isEqualTo(1);

            assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void aFileWithoutStartTimesIsRemovedWithoutKillingAnything(@TempDir Path run) throws Exception {
        Path guard = NodeModules.inUserCache().installation().guardScript();
        Process emulator = idleNodeWithGuard(guard);
        try {
            Files.writeString(run.resolve(emulator.pid() + ".pid"), "999999999"); // an older version's file

            assertThat(new PidFiles(run).killOrphans()).isZero();

            assertThat(emulator.isAlive()).isTrue();
            assertThat(run.resolve(emulator.pid() + ".pid")).doesNotExist();
        } finally {
            emulator.destroyForcibly();
        }
    }

    @Test
    void recordWritesBothStartTimes(@TempDir Path run) throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            new PidFiles(run).record(sleeper.toHandle());

            assertThat(Files.readString(run.resolve(sleeper.pid() + ".pid"))).isEqualTo(ProcessHandle.current().pid() + " "
                    + PidFiles.startMillis(ProcessHandle.current()) + " " + PidFiles.startMillis(sleeper.toHandle()));
            assertThat(PidFiles.startMillis(sleeper.toHandle())).isPositive();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    private static void pidFile(Path run, ProcessHandle emulator, long ownerPid, long ownerStart, long emulatorStart) throws Exception {
        Files.writeString(run.resolve(emulator.pid() + ".pid"), ownerPid + " " + ownerStart + " " + emulatorStart);
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
