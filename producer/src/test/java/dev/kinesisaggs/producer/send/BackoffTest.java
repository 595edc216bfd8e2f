package dev.kinesisaggs.producer.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 10);

    @Test
    void delaysDoubleFromHalfTheCeilingToTheCeilingUpToTheCap() {
        SplittableRandom random = new SplittableRandom(1);
        long[] ceilingsMs = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int retry = 1; retry <= ceilingsMs.length; retry++) {
            long ceiling = ceilingsMs[retry - 1] * 1_000_000;
            for (int i = 0; i < 1000; i++) {
                assertThat(backoff.delayNanos(retry, random)).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void jitterSpreadsTheDelays() {
        SplittableRandom random = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 1000; i++) {
            long d = backoff.delayNanos(3, random);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // ceiling 400 ms: the delays cover most of 200..400 ms
        assertThat(min).isLessThan(220_000_000L);
        assertThat(max).isGreaterThan(380_000_000L);
    }

    @Test
    void aHugeRetryNumberDoesNotOverflow() {
        assertThat(backoff.delayNanos(10_000, new SplittableRandom(3))).isBetween(1_000_000_000L, 2_000_000_000L);
    }
}
