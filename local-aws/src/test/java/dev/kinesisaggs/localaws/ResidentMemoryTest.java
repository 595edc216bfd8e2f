package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    @Test
    void theResidentMemoryOfThisJvmIsReadFromProc() {
        ResidentMemory rss = ResidentMemory.of(ProcessHandle.current().pid()).orElseThrow();

        assertThat(rss.total()).isBetween(10L * 1024 * 1024, Runtime.getRuntime().maxMemory() + (2L << 30));
        assertThat(rss.anonymous()).isPositive().isLessThanOrEqualTo(rss.total());
    }

    @Test
    void aProcessThatIsGoneHasNoFigure() {
        assertThat(ResidentMemory.of(Long.MAX_VALUE)).isEmpty();
    }
}
