package dev.kinesisaggs.app.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void isHalfOpenLikeTheWindows() {
        TimeRange range = new TimeRange(Optional.of(t("2016-01-01T00:00:30Z")), Optional.of(t("2016-01-01T00:01:30Z")));

        assertThat(range.contains(t("2016-01-01T00:00:00Z"))).isFalse();
        assertThat(range.contains(t("2016-01-01T00:00:30Z"))).isTrue();
        assertThat(range.contains(t("2016-01-01T00:01:00Z"))).isTrue();
        assertThat(range.contains(t("2016-01-01T00:01:30Z"))).isFalse();
        assertThat(TimeRange.ALL.contains(t("1970-01-01T00:00:00Z"))).isTrue();
    }

    @Test
    void keyBoundsEncloseEveryWindowOfTheRangeAsStrings() {
        // a bound with a fraction of a second: "...:30.500Z" would sort after "...:31Z" as a string
        TimeRange range = new TimeRange(Optional.of(t("2016-01-01T00:00:30.500Z")), Optional.of(t("2016-01-01T00:01:00.250Z")));
        String lower = range.lowerKeyBound().orElseThrow();
        String upper = range.upperKeyBound().orElseThrow();

        for (String inside : new String[] {"2016-01-01T00:00:31Z", "2016-01-01T00:00:30.750Z", "2016-01-01T00:01:00Z"}) {
            assertThat(range.contains(t(inside))).isTrue();
            assertThat(inside).isGreaterThanOrEqualTo(lower).isLessThanOrEqualTo(upper);
        }
    }

    @Test
    void keyBoundsAtTheEndsOfTheCalendarStayInOrder() {
        // Instant writes the year 10000 as "+10000" and the year -1 as "-0001": both sort before "0000" as strings
        TimeRange last = new TimeRange(Optional.of(t("9999-12-31T23:44:59Z")), Optional.of(TimeRange.LATEST));
        TimeRange first = new TimeRange(Optional.of(TimeRange.EARLIEST), Optional.of(t("0000-01-01T00:15:00Z")));

        assertThat(last.upperKeyBound().orElseThrow()).isGreaterThan(last.lowerKeyBound().orElseThrow())
                .isGreaterThan("9999-12-31T23:59:59.999999999Z#shardId-000000000000#run#0");
        assertThat(first.lowerKeyBound().orElseThrow()).isLessThan(first.upperKeyBound().orElseThrow())
                .isLessThanOrEqualTo("0000-01-01T00:00:00Z");
    }

    @Test
    void refusesARangeThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> new TimeRange(Optional.of(t("2016-01-02T00:00:00Z")), Optional.of(t("2016-01-01T00:00:00Z"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be before");
    }
}
