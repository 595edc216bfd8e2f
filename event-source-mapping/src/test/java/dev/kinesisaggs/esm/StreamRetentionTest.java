package dev.kinesisaggs.esm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Spec §5.3: with unlimited retries and no maximum record age, a failing batch is retried "until the records expire".
 * On AWS each retry reads the records from the stream again; once the stream's retention has passed they are gone, and
 * the batch with them. Ours keeps the batch in memory, so it gives the records up when the stream's retention passes.
 */
class StreamRetentionTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EsmTestDriver failingForEver(boolean withRetention) {
        EsmTestDriver driver = EsmTestDriver.builder()
                .config(EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                        .maximumRetryAttempts(-1).maximumRecordAgeInSeconds(-1).build())
                .start(T0).kinesisHandler(TestHandlers.throwingOn("a"::equals)).build();
        if (withRetention) {
            driver.stream().retention(Duration.ofHours(1));
        }
        return driver;
    }

    @Test
    void aBatchRetriedWithoutLimitIsGivenUpWhenItsRecordsLeaveTheStream() {
        EsmTestDriver driver = failingForEver(true);
        StreamRecord a = driver.append("a", 1);

        driver.advance(Duration.ofMinutes(59));
        assertThat(driver.destinationRecords()).as("within the retention: still retried").isEmpty();

        driver.advance(Duration.ofMinutes(5));
        assertThat(driver.destinationRecords()).singleElement().satisfies(f -> {
            assertThat(f.path("requestContext").path("condition").asText()).isEqualTo(FailureRecords.RECORD_AGE_EXCEEDED);
            assertThat(f.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(a.sequenceNumber());
        });
        // the shard goes on: a later record is delivered, and the checkpoint passes both
        StreamRecord b = driver.append("b", 64 * 60 + 1);
        driver.advance(Duration.ofMinutes(1));
        assertThat(driver.invocations().get(driver.invocations().size() - 1).sequenceNumbers()).containsExactly(b.sequenceNumber());
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(b.sequenceNumber()));
    }

    @Test
    void withoutAKnownRetentionTheBatchIsRetriedForEver() {
        EsmTestDriver driver = failingForEver(false);
        driver.append("a", 1);

        driver.advance(Duration.ofHours(3));

        assertThat(driver.destinationRecords()).isEmpty();
        assertThat(driver.checkpoint(driver.shard(0))).isEmpty();
    }
}
