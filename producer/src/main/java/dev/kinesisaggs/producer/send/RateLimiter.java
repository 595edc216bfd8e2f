package dev.kinesisaggs.producer.send;

/**
 * Paces trips to a rate in trips per second: a token bucket that holds at most one second of trips, so that a
 * slow PutRecords call is made up for afterwards (the average rate holds) but never by more than one second's worth.
 */
public final class RateLimiter {

    private static final long SECOND = 1_000_000_000L;

    private final double perSecond;
    private final Ticker ticker;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    private RateLimiter(double perSecond, Ticker ticker) {
        this.perSecond = perSecond;
        this.ticker = ticker;
        this.capacity = Math.max(1.0, perSecond);
        this.tokens = 1.0; // the first trip goes at once, the rest at the rate
        this.refilledAt = ticker.nanoTime();
    }

    /** A limiter at {@code tripsPerSecond} (greater than 0). */
    public static RateLimiter perSecond(double tripsPerSecond, Ticker ticker) {
        if (!(tripsPerSecond > 0) || Double.isInfinite(tripsPerSecond)) {
            throw new IllegalArgumentException("the rate must be a positive number of trips per second, got " + tripsPerSecond);
        }
        return new RateLimiter(tripsPerSecond, ticker);
    }

    /** No limit: as fast as the stream takes. */
    public static RateLimiter unlimited() {
        return new RateLimiter(Double.POSITIVE_INFINITY, () -> 0L);
    }

    public boolean isUnlimited() {
        return Double.isInfinite(perSecond);
    }

    /** How long to wait before the next trip may go; 0 when it may go now. */
    public long nanosUntilNextPermit() {
        if (isUnlimited()) {
            return 0;
        }
        refill();
        return tokens >= 1.0 ? 0 : (long) Math.ceil((1.0 - tokens) * SECOND / perSecond);
    }

    /** Takes a permit if one is there now; returns whether it did. */
    public boolean tryAcquire() {
        if (isUnlimited()) {
            return true;
        }
        refill();
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    private void refill() {
        long now = ticker.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perSecond / SECOND);
        refilledAt = now;
    }
}
