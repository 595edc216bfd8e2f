package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Backoff.Jitter;
import java.time.Duration;
import java.util.Objects;

/**
 * How the failed entries of a PutRecords request are retried: the wait before each retry, and when to give up.
 *
 * @param backoff     the wait before each retry; {@link Jitter#EQUAL} by default, so that producers throttled together
 *                    spread out and a throttled shard still gets at least half the ceiling of rest
 * @param maxAttempts PutRecords attempts per entry, the first one included; an entry still failing after that is
 *                    counted as a failure and dropped
 */
public record PutRetries(Backoff backoff, int maxAttempts) {

    /** 100 ms, doubling up to 5 s, 10 attempts: an entry is given up after about 20 s of throttling. */
    public static final PutRetries DEFAULT =
            new PutRetries(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Jitter.EQUAL), 10);

    public PutRetries {
        Objects.requireNonNull(backoff, "backoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
    }
}
