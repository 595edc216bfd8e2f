package dev.kinesisaggs.producer.it;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Fresh streams for each test, so that tests never see each other's records. */
final class TestStreams {

    private TestStreams() {
    }

    static String create(KinesisClient kinesis, String prefix, int shards) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        // the SDK's waiter polls every 10 s; the emulator makes a stream active within a second
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        while (kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("stream " + name + " is not active after 30 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for stream " + name, e);
            }
        }
        return name;
    }
}
