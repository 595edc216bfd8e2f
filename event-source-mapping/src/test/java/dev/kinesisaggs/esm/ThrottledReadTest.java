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

/** A throttled GetRecords (ProvisionedThroughputExceededException) says nothing about where the tip of the shard is. */
class ThrottledReadTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void aThrottledReadWhileCatchingUpDoesNotCloseTheWindowBeingRead() {
        // The mapping starts 200 s after the window [0, 30) ended, long past its idle grace (120 s): it is catching up.
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                        .tumblingWindowInSeconds(30).batchSize(2).build())
                .start(T0.plusSeconds(200)).timeWindowHandler(TestHandlers.windowConcatenator()).build();
        String shard = driver.shard(0);
        for (int i = 0; i < 6; i++) {
            driver.append(shard, "r" + i, T0.plusSeconds(1 + i));
        }
        driver.stream().throttleReads(shard, 2); // the read after the first batch is throttled

        driver.advance(Duration.ofSeconds(30));

        // one window, one final invoke, after all of its records
        assertThat(driver.invocations().stream().filter(DeliveredInvocation::isFinalInvokeForWindow)).hasSize(1);
        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [r0,r1] {}",
                "00:00:00 [r2,r3] {\"seen\":\"r0,r1\"}",
                "00:00:00 [r4,r5] {\"seen\":\"r0,r1,r2,r3\"}",
                "00:00:00 [] {\"seen\":\"r0,r1,r2,r3,r4,r5\"} FINAL");
    }

    @Test
    void aThrottledReadDoesNotReportTheShardAsCaughtUp() {
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).batchSize(2).build())
                .start(T0.plusSeconds(200)).kinesisHandler((event, context) -> null).build();
        String shard = driver.shard(0);
        for (int i = 0; i < 6; i++) {
            driver.append(shard, "r" + i, T0.plusSeconds(1 + i));
        }
        driver.stream().throttleReads(shard, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        driver.advance(Duration.ofMillis(500));

        // after the first read (2 of 6 records) every read is throttled: still 4 s behind, not 0
        assertThat(driver.status().shards().get(0).millisBehindLatest()).isEqualTo(4000);
    }
}
