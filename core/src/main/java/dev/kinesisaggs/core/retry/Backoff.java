package dev.kinesisaggs.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off, capped, with jitter: how long to wait before retrying a call that was throttled.
 *
 * <p>Retries are counted from 1: retry 1 is the second attempt, the one after the first call failed. Before retry
 * {@code n} the ceiling is {@code min(cap, base * 2^(n-1))}, and the {@link Jitter} picks the wait under it. The
 * methods take the retry's number, not the number of attempts or of retries made so far, and refuse 0, so that a
 * caller counting the other way fails at once instead of waiting twice as long.
 *
 * <p>The random source is passed to each call rather than held, so that a back-off is a value: the same settings
 * are equal, print the same and can sit in an options record.
 *
 * @param base   the ceiling before retry 1
 * @param cap    the largest ceiling
 * @param jitter how the wait is picked under the ceiling
 */
public record Backoff(Duration base, Duration cap, Jitter jitter) {

    /** How the wait before a retry is picked under its ceiling. */
    public enum Jitter {
        /**
         * Uniform in {@code [0, ceiling]}: spreads callers that were throttled at the same moment the most, at the
         * price of some retries that come back almost at once.
         */
        FULL,
        /**
         * Half the ceiling plus a uniform part of the other half, {@code [ceiling/2, ceiling]}: still spreads the
         * callers, and makes sure a throttled resource gets at least half the ceiling of rest.
         */
        EQUAL
    }

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(jitter, "jitter");
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("back-off needs 0 <= base <= cap, got " + base + " and " + cap);
        }
    }

    /** The upper bound of the wait before retry {@code retry} (1 for the first retry). */
    public Duration ceilingBeforeRetry(int retry) {
        return Duration.ofNanos(ceilingNanos(retry));
    }

    /** The wait before retry {@code retry} (1 for the first retry), picked by the jitter with {@code random}. */
    public Duration delayBeforeRetry(int retry, RandomGenerator random) {
        long ceiling = ceilingNanos(retry);
        return Duration.ofNanos(switch (jitter) {
            case FULL -> random.nextLong(ceiling + 1);
            case EQUAL -> {
                long half = ceiling / 2;
                // a zero ceiling draws nothing, so that a zero base leaves the random sequence as it was
                yield half + (ceiling == 0 ? 0 : random.nextLong(ceiling - half + 1));
            }
        });
    }

    private long ceilingNanos(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1 (the first retry), got " + retry);
        }
        long baseNanos = base.toNanos();
        long capNanos = cap.toNanos();
        int doublings = retry - 1;
        // base << doublings overflows for large retry numbers; comparing base with the cap shifted right cannot
        if (doublings >= Long.SIZE - 1 || baseNanos > (capNanos >> doublings)) {
            return capNanos;
        }
        return baseNanos << doublings;
    }
}
