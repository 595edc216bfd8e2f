package dev.kinesisaggs.function.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.function.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    @Test
    void budgetIsWhatIsLeftMinusTheMargin() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        RetryBudget budget = RetryBudget.of(clock, Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(8));
        assertThat(budget.allows(Duration.ofSeconds(5), Duration.ofSeconds(2))).isTrue();
        assertThat(budget.allows(Duration.ofSeconds(6), Duration.ofSeconds(2))).isFalse();
        assertThat(budget.callTimeout(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        clock.advance(Duration.ofSeconds(7));
        assertThat(budget.callTimeout(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(5));
        assertThat(budget.remaining()).isZero();
        assertThat(budget.exhausted()).isTrue();
    }
}
