package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmulatorProcessTest {

    @Test
    void anExitCodeSaysWhetherTheProcessCrashedOrWasKilledAndByWhat() {
        assertThat(EmulatorProcess.howItEnded(1)).isEqualTo("exited with code 1");
        assertThat(EmulatorProcess.howItEnded(128)).isEqualTo("exited with code 128");
        assertThat(EmulatorProcess.howItEnded(137)).isEqualTo("was killed by signal 9 (SIGKILL: another process, or the kernel's out-of-memory killer)");
        assertThat(EmulatorProcess.howItEnded(134)).isEqualTo("was killed by signal 6 (SIGABRT: node aborted, e.g. out of memory)");
        assertThat(EmulatorProcess.howItEnded(143)).isEqualTo("was killed by signal 15 (SIGTERM)");
        assertThat(EmulatorProcess.howItEnded(139)).isEqualTo("was killed by signal 11");
    }
}
