package dev.kinesisaggs.app.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeBoundTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource({
        "2016-01-01T00:00:30Z, 2016-01-01T00:00:30Z",
        "2016-01-01T01:00:30+01:00, 2016-01-01T00:00:30Z",
        "2016-01-01, 2016-01-01T00:00:00Z",
        "now, 2026-11-27T12:00:00Z",
        "-30s, 2026-11-27T11:59:30Z",
        "-15m, 2026-11-27T11:45:00Z",
        "-2h, 2026-11-27T10:00:00Z",
        "-1d, 2026-11-26T12:00:00Z",
    })
    void readsInstantsDatesAndTimesAgo(String text, String expected) {
        assertThat(TimeBound.parse(text, clock)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "+10000-01-01T00:00:00Z",
        "+10000-01-01",
        "-0001-01-01T00:00:00Z",
        "-0001-12-31",
        "-999999999d",
    })
    void refusesATimeNoWindowOfTheTableCanStartAtInOneSentence(String text) {
        assertThatThrownBy(() -> TimeBound.parse(text, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The time '" + text + "' is outside the years 0000 to 9999, which are all that the aggregates"
                        + " table's windows can start in: give a time within them, or leave the bound out.");
    }

    @ParameterizedTest
    @CsvSource({
        "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z",
        "0000-01-01, 0000-01-01T00:00:00Z",
    })
    void readsTheFirstAndLastInstantsOfTheCalendar(String text, String expected) {
        assertThat(TimeBound.parse(text, clock)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void saysWhichFormsItTakesWhenItCannotReadTheTime() {
        assertThatThrownBy(() -> TimeBound.parse("yesterday", clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'yesterday'")
                .hasMessageContaining("-15m");
        assertThatThrownBy(() -> TimeBound.parse("15m", clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
