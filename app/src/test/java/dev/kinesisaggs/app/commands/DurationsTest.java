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
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anythingElseSaysHowToWriteIt() {
        assertThatThrownBy(() -> Durations.parse("ten seconds"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'ten seconds' is not a duration: write e.g. 30s, 500ms, 2m or 1h");
    }

    @Test
    void aNegativeOrOverlongDurationIsOneSentenceNotAnOverflowLater() {
        assertThatThrownBy(() -> Durations.parse("-5s")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'-5s' is negative: a duration is 0 or more, e.g. 30s, 500ms, 2m or 1h");
        assertThatThrownBy(() -> Durations.parse("PT-5S")).isInstanceOf(TypeConversionException.class).hasMessageContaining("negative");
        for (String overlong : new String[] {"99999999999999h", "87601h", "99999999999999999999999", "PT9999999999H"}) {
            assertThatThrownBy(() -> Durations.parse(overlong)).as(overlong).isInstanceOf(TypeConversionException.class)
                    .hasMessage("'" + overlong + "' is longer than 3650 days, the most a duration here may be");
        }
        assertThat(Durations.parse("87600h")).isEqualTo(Duration.ofDays(3650));
        assertThat(Durations.parse("0000000000000030s")).as("leading zeros are no length").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void settingsCountedInSecondsRefuseFractions() {
        assertThat(Durations.wholeSeconds("--window", Duration.ofMinutes(1))).isEqualTo(60);
        assertThatThrownBy(() -> Durations.wholeSeconds("--window", Duration.ofMillis(1500)))
                .hasMessage("--window is counted in whole seconds, not 1500 ms");
    }

    @Test
    void settingsBoundedInSecondsRefuseFractionsAndWhatIsOutside() {
        assertThat(Durations.wholeSeconds("--window", Duration.ofSeconds(1), 1, 900)).isEqualTo(1);
        assertThat(Durations.wholeSeconds("--window", Duration.ofMinutes(15), 1, 900)).isEqualTo(900);
        assertThatThrownBy(() -> Durations.wholeSeconds("--window", Duration.ofSeconds(901), 1, 900))
                .hasMessage("--window must be whole seconds from 1 s to 900 s, not 901 s");
        assertThatThrownBy(() -> Durations.wholeSeconds("--window", Duration.ZERO, 1, 900))
                .hasMessage("--window must be whole seconds from 1 s to 900 s, not 0 s");
        assertThatThrownBy(() -> Durations.wholeSeconds("--window", Duration.ofMillis(1500), 1, 900))
                .hasMessage("--window must be whole seconds from 1 s to 900 s, not 1500 ms");
    }
}
