package dev.kinesisaggs.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.producer.send.SendCounts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerProgressTest {

    private static SendCounts sent(long userRecords, long kinesisRecords) {
        return new SendCounts(userRecords, kinesisRecords, 2_000_000, 3, 0, 0, 0, Map.of());
    }

    @Test
    void sentTripsAreCalledTrips() {
        assertThat(new ProducerProgress(Duration.ofSeconds(2), 0, 0, 0, sent(13, 1), 6.0).line())
                .isEqualTo("2.0 s: sent 13 trips in 1 Kinesis record (2.0 MB), 6 trips/s, 0 records retried, 0 trips failed");
    }

    @Test
    void badRowsSentAsTheyAreAreNotCalledTrips() {
        // 13 trips and 34 bad rows, each its own record: it said "sent 47 trips"
        assertThat(new ProducerProgress(Duration.ofSeconds(2), 0, 34, 0, sent(47, 47), 23.5).line())
                .startsWith("2.0 s: sent 47 trips and bad rows in 47 Kinesis records (2.0 MB), 24 records/s")
                .endsWith("bad rows: 0 skipped, 34 sent as-is");
    }
}
