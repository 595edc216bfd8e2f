package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

    @Test
    void aBareNumberIsSeconds() {
        assertThat(Durations.parse("30")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void unitsAndIsoAreRead() {
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anythingElseSaysHowToWriteIt() {
        assertThatThrownBy(() -> Durations.parse("ten seconds"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'ten seconds' is not a duration: write e.g. 30s, 500ms, 2m or 1h");
    }

    @Test
    void settingsCountedInSecondsRefuseFractions() {
        assertThat(Durations.wholeSeconds("--window", Duration.ofMinutes(1))).isEqualTo(60);
        assertThatThrownBy(() -> Durations.wholeSeconds("--window", Duration.ofMillis(1500)))
                .hasMessage("--window is counted in whole seconds, not 1500 ms");
    }
}
