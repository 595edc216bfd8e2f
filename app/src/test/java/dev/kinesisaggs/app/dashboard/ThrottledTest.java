package dev.kinesisaggs.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThrottledTest {

    /** A clock the test moves. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-27T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void asksTheSourceAtMostOncePerInterval() {
        ManualClock clock = new ManualClock();
        AtomicInteger reads = new AtomicInteger();
        Throttled<Integer> counts = new Throttled<>(reads::incrementAndGet, Duration.ofSeconds(5), clock);

        assertThat(counts.get()).isEqualTo(1);
        clock.advance(Duration.ofMillis(4999));
        assertThat(counts.get()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(counts.get()).isEqualTo(2);
        assertThat(counts.get()).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadIsNotRemembered() {
        ManualClock clock = new ManualClock();
        AtomicInteger calls = new AtomicInteger();
        Throttled<String> flaky = new Throttled<>(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("table unreachable");
            }
            return "ok";
        }, Duration.ofSeconds(5), clock);

        assertThatThrownBy(flaky::get).hasMessage("table unreachable");
        assertThat(flaky.get()).isEqualTo("ok");
    }
}
