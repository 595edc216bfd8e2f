package dev.kinesisaggs.producer.send;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter between retries of the failed entries of a PutRecords request.
 *
 * <p>Before retry {@code n} (1-based) the ceiling is {@code min(cap, base * 2^(n-1))}; the delay is half the ceiling
 * plus a random part of the other half ("equal jitter"). The random half spreads producers that were throttled
 * together; the fixed half makes sure a throttled shard gets some rest before it is asked again.
 *
 * @param base        the ceiling before the first retry
 * @param cap         the largest ceiling
 * @param maxAttempts PutRecords attempts per entry, the first one included; an entry still failing after that is
 *                    counted as a failure and dropped
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

    /** 100 ms, doubling up to 5 s, 10 attempts: an entry is given up after about 20 s of throttling. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 10);

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("back-off needs 0 <= base <= cap");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
    }

    /** The delay before retry {@code retry} (1 for the first retry). */
    public long delayNanos(int retry, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1");
        }
        long ceiling = base.toNanos();
        for (int i = 1; i < retry && ceiling < cap.toNanos(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, cap.toNanos());
        long half = ceiling / 2;
        return half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1));
    }
}
