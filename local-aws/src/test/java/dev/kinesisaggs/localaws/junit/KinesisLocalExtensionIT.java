package dev.kinesisaggs.localaws.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.localaws.KinesisEmulator;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

@ExtendWith(LocalAwsExtension.class)
@UseKinesisEmulator(KinesisEmulator.KINESIS_LOCAL)
class KinesisLocalExtensionIT {

    @Test
    void aClassCanAskForKinesisLocalAndGetsItsAtTimestampIterator(LocalAws aws, KinesisClient kinesis) throws Exception {
        assertThat(aws.kinesisEmulator()).isEqualTo(KinesisEmulator.KINESIS_LOCAL);
        kinesis.createStream(b -> b.streamName("at-timestamp").shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, "at-timestamp");
        String shardId = kinesis.listShards(b -> b.streamName("at-timestamp")).shards().get(0).shardId();
        // kinesalite hangs on this call (nothing at or after the timestamp); kinesis-local answers at once
        String iterator = kinesis.getShardIterator(b -> b.streamName("at-timestamp").shardId(shardId)
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(Instant.now().plusSeconds(60))).shardIterator();
        assertThat(kinesis.getRecords(b -> b.shardIterator(iterator)).records()).isEmpty();
    }
}
