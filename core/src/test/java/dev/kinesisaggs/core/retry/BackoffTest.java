package dev.kinesisaggs.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.core.retry.Backoff.Jitter;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final RandomGenerator LOWEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };

    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @Test
    void ceilingDoublesFromTheBaseUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(1000), Jitter.FULL);
        assertThat(backoff.ceilingBeforeRetry(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.ceilingBeforeRetry(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceilingBeforeRetry(5)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceilingBeforeRetry(6)).isEqualTo(Duration.ofMillis(1000));
        assertThat(backoff.ceilingBeforeRetry(201)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void retriesAreCountedFromOne() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(1000), Jitter.FULL);
        assertThatThrownBy(() -> backoff.ceilingBeforeRetry(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counted from 1");
        assertThatThrownBy(() -> backoff.delayBeforeRetry(0, new SplittableRandom(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCapMustNotBeBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Jitter.FULL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1), Jitter.EQUAL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fullJitterIsBetweenZeroAndTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(1000), Jitter.FULL);
        SplittableRandom random = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = backoff.delayBeforeRetry(4, random).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // ceiling 400 ms: the delays cover nearly all of 0..400 ms
        assertThat(min).isBetween(0L, 20L);
        assertThat(max).isBetween(380L, 400L);
    }

    @Test
    void fullJitterReachesBothEndsWithTheExtremesOfTheRandomSource() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), Jitter.FULL);
        assertThat(backoff.delayBeforeRetry(3, LOWEST)).isZero();
        assertThat(backoff.delayBeforeRetry(3, HIGHEST)).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void equalJitterIsBetweenHalfTheCeilingAndTheCeilingUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), Jitter.EQUAL);
        SplittableRandom random = new SplittableRandom(1);
        long[] ceilingsMs = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int retry = 1; retry <= ceilingsMs.length; retry++) {
            long ceiling = ceilingsMs[retry - 1] * 1_000_000;
            for (int i = 0; i < 1000; i++) {
                assertThat(backoff.delayBeforeRetry(retry, random).toNanos()).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void equalJitterSpreadsTheDelaysOverTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), Jitter.EQUAL);
        SplittableRandom random = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            long d = backoff.delayBeforeRetry(3, random).toNanos();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // ceiling 400 ms: the delays cover most of 200..400 ms
        assertThat(min).isLessThan(220_000_000L);
        assertThat(max).isGreaterThan(380_000_000L);
    }

    @Test
    void equalJitterReachesBothEndsWithTheExtremesOfTheRandomSource() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1), Jitter.EQUAL);
        assertThat(backoff.delayBeforeRetry(3, LOWEST)).isEqualTo(Duration.ofMillis(20));
        assertThat(backoff.delayBeforeRetry(3, HIGHEST)).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void aHugeRetryNumberDoesNotOverflow() {
        for (Jitter jitter : Jitter.values()) {
            Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), jitter);
            assertThat(backoff.ceilingBeforeRetry(10_000)).isEqualTo(Duration.ofSeconds(2));
            assertThat(backoff.ceilingBeforeRetry(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
        }
        Backoff equal = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), Jitter.EQUAL);
        assertThat(equal.delayBeforeRetry(10_000, new SplittableRandom(3)).toNanos()).isBetween(1_000_000_000L, 2_000_000_000L);
    }

    @Test
    void aBackoffIsAValue() {
        assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Jitter.EQUAL))
                .isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Jitter.EQUAL))
                .isNotEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Jitter.FULL));
    }
}
