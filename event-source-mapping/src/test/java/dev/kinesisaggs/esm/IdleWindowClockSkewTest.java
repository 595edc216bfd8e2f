package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A window is idle once a read begun after its end found nothing left to read. The read's start is on the
 * local clock, the window's end on Kinesis' arrival timestamps: a read begun just after the end by a local
 * clock a little ahead of Kinesis (or before a record is readable) does not prove the window has no record left.
 */
class IdleWindowClockSkewTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void aRecordOfTheWindowReadableOnlyJustAfterItsEndStillGoesIntoItsOneFinalInvoke() {
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                        .tumblingWindowInSeconds(30).windowIdleGrace(Duration.ofSeconds(1)).build())
                .start(T0).timeWindowHandler(TestHandlers.windowConcatenator()).build();
        driver.append("a", 10);
        driver.advance(Duration.ofMillis(31_500)); // reads at 30 s and 31 s, on the local clock, reach the tip

        // stamped 29.9 s by Kinesis, whose clock is 1.6 s behind the local one: readable from local 31.5 s on
        driver.append(driver.shard(0), "b", T0.plusMillis(29_900));
        driver.advance(Duration.ofSeconds(10));

        assertThat(driver.invocations().stream().filter(DeliveredInvocation::isFinalInvokeForWindow)).hasSize(1);
        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a] {}",
                "00:00:00 [b] {\"seen\":\"a\"}",
                "00:00:00 [] {\"seen\":\"a,b\"} FINAL");
    }
}
