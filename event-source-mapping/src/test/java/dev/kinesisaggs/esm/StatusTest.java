package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the logs and the dashboard see of each shard. */
class StatusTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void theStatusShowsTheWindowRecordsInInvocationsFailuresIteratorAgeAndCheckpoint() {
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).tumblingWindowInSeconds(30)
                        .batchSize(2).build())
                .start(T0.plusSeconds(40)).timeWindowHandler(TestHandlers.windowConcatenator()).build();
        driver.append(driver.shard(0), "a", T0.plusSeconds(1));
        StreamRecord b = driver.append(driver.shard(0), "b", T0.plusSeconds(2));
        driver.append(driver.shard(0), "c", T0.plusSeconds(31));
        driver.append(driver.shard(0), "d", T0.plusSeconds(32));

        driver.runUntilIdle();

        ShardStatus status = driver.status().shards().get(0);
        assertThat(status.phase()).isEqualTo("PROCESSING");
        assertThat(status.windowStart()).contains(T0.plusSeconds(30));
        assertThat(status.windowEnd()).contains(T0.plusSeconds(60));
        assertThat(status.recordsIn()).isEqualTo(4);
        // [a,b], the final invoke of the first window, [c,d]
        assertThat(status.invocations()).isEqualTo(3);
        assertThat(status.failedInvocations()).isZero();
        assertThat(status.windowsClosed()).isEqualTo(1);
        // the last invoke carried d, which arrived 8 s before it was sent
        assertThat(status.iteratorAgeMillis()).isEqualTo(8_000);
        assertThat(status.lastCheckpoint()).isEqualTo(Optional.of(b.sequenceNumber()));
        assertThat(status.lastProcessingResult()).isEqualTo("OK");
        assertThat(status.toLogLine()).isEqualTo("shardId-000000000000 PROCESSING window=[2024-01-01T00:00:30Z,2024-01-01T00:01:00Z)"
                + " recordsIn=4 invocations=3 failures=0 discarded=0 windowsClosed=1 iteratorAgeMs=8000 behindMs=0 checkpoint="
                + b.sequenceNumber() + " result=\"OK\"");
    }

    @Test
    void millisBehindLatestShowsHowFarTheReaderIsBehindTheTip() {
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).batchSize(1).build())
                .start(T0.plusSeconds(60)).kinesisHandler(TestHandlers.throwingOn("a"::equals)).build();
        driver.append(driver.shard(0), "a", T0);
        driver.append(driver.shard(0), "b", T0.plusSeconds(50));

        driver.runUntilIdle();

        ShardStatus status = driver.status().shards().get(0);
        assertThat(status.phase()).isEqualTo("RETRYING");
        assertThat(status.millisBehindLatest()).isEqualTo(50_000);
        assertThat(status.failedInvocations()).isEqualTo(1);
        assertThat(status.lastProcessingResult()).isEqualTo("PROBLEM: Function call failed");
    }
}
