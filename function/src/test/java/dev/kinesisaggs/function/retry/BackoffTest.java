package dev.kinesisaggs.function.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.function.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(1000), new SplittableRandom(1));
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.ceiling(200)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void delayIsFullJitterBetweenZeroAndTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(1000), new SplittableRandom(7));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = backoff.delay(3).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isBetween(0L, 20L);
        assertThat(max).isBetween(380L, 400L);
    }

    @Test
    void extremesOfTheRandomSourceReachBothEnds() {
        RandomGenerator lowest = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return 0;
            }
        };
        RandomGenerator highest = new RandomGenerator() {
            @Override
            public long nextLong() {
                return Long.MAX_VALUE;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        assertThat(new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), lowest).delay(2)).isZero();
        assertThat(new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), highest).delay(2)).isEqualTo(Duration.ofMillis(40));
    }

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
