package dev.kinesisaggs.producer.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final FakeTime time = new FakeTime();

    /** Takes n permits, sleeping (on the fake clock) whenever the limiter says so; returns the fake seconds spent. */
    private double take(RateLimiter limiter, int n) throws InterruptedException {
        long start = time.nanoTime();
        for (int i = 0; i < n; ) {
            long wait = limiter.nanosUntilNextPermit();
            if (wait > 0) {
                time.sleep(Duration.ofNanos(wait));
            } else if (limiter.tryAcquire()) {
                i++;
            }
        }
        return (time.nanoTime() - start) / 1e9;
    }

    @Test
    void pacesTripsAtTheRate() throws InterruptedException {
        RateLimiter limiter = RateLimiter.perSecond(50, time);
        // the first goes at once, then one every 20 ms
        assertThat(take(limiter, 501)).isCloseTo(10.0, within(0.001));
    }

    @Test
    void fractionalRatesWork() throws InterruptedException {
        RateLimiter limiter = RateLimiter.perSecond(0.5, time);
        assertThat(take(limiter, 3)).isCloseTo(4.0, within(0.001));
    }

    @Test
    void aSlowSpellIsMadeUpForByAtMostOneSecondOfTrips() throws InterruptedException {
        RateLimiter limiter = RateLimiter.perSecond(100, time);
        take(limiter, 1);
        time.advanceNanos(5_000_000_000L); // e.g. a slow PutRecords call
        int burst = 0;
        while (limiter.tryAcquire()) {
            burst++;
        }
        assertThat(burst).isEqualTo(100);
        assertThat(limiter.nanosUntilNextPermit()).isBetween(9_000_000L, 10_000_000L);
    }

    @Test
    void unlimitedNeverWaits() throws InterruptedException {
        RateLimiter limiter = RateLimiter.unlimited();
        assertThat(take(limiter, 100_000)).isZero();
        assertThat(limiter.isUnlimited()).isTrue();
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> RateLimiter.perSecond(0, time)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimiter.perSecond(Double.NaN, time)).isInstanceOf(IllegalArgumentException.class);
    }
}
