package dev.kinesisaggs.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.esm.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThrottledTest {

    private static ManualClock clock() {
        return new ManualClock(Instant.parse("2026-11-27T12:00:00Z"));
    }

    @Test
    void asksTheSourceAtMostOncePerInterval() {
        ManualClock clock = clock();
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
        ManualClock clock = clock();
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
