package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class MemoryBoundIT {
    /** Clients that never retry: a request that reached a stopped emulator would fail the test, not be tried again. */
    private static final ClientOverrideConfiguration NO_RETRIES = ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .build();

    @Test
    void emulatorsPastTheirBoundAreStartedAgainOnTheirDataWhileTheirClientsWaitInsteadOfFailing(@TempDir Path data) {
        // 1 MB: both emulators are past it from the start, so each is started again at every check, every 2 s
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data).withMemoryBound(1));
             DynamoDbClient dynamoDb = aws.clients().newDynamoDbClient(NO_RETRIES);
             KinesisClient kinesis = aws.clients().newKinesisClient(NO_RETRIES)) {
            Map<String, Long> firstPids = aws.pids();
            LocalAwsIT.createTable(aws.dynamoDb(), "kept");
            LocalAwsIT.roundTripThroughKinesis(aws.kinesis(), "kept", "record 0");
            List<String> written = new ArrayList<>(List.of("record 0"));

            long until = System.nanoTime() + Duration.ofSeconds(9).toNanos();
            int items = 0;
            while (System.nanoTime() < until) {
                String id = "item " + items++;
                dynamoDb.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS(id))));
                String record = "record " + written.size();
                kinesis.putRecord(b -> b.streamName("kept").partitionKey("p").data(SdkBytes.fromUtf8String(record)));
                written.add(record);
            }

            assertThat(aws.memoryRestarts()).as("restarts").containsOnlyKeys("dynalite", "kinesalite")
                    .allSatisfy((emulator, restarts) -> assertThat(restarts).isGreaterThanOrEqualTo(2));
            assertThat(aws.pids().values()).as("the processes now running").doesNotContainAnyElementsOf(firstPids.values());
            assertThat(aws.unexpectedExits()).isEmpty();
            int count = dynamoDb.scanPaginator(b -> b.tableName("kept")).stream().mapToInt(page -> page.count()).sum();
            assertThat(count).as("items read back").isEqualTo(items);
            assertThat(allRecords(kinesis, "kept")).as("records read back").isEqualTo(written);
        }
    }

    @Test
    void aBoundOnEmulatorsThatKeepTheirDataInMemoryIsRefusedInOneSentence() {
        assertThatThrownBy(() -> LocalAws.start(LocalAwsOptions.defaults().withMemoryBound(256)))
                .isInstanceOf(LocalAwsException.class)
                .hasMessage("A memory bound restarts the emulators on their data directory, and these keep their data in"
                        + " memory: give them a data directory too.");
    }

    private static List<String> allRecords(KinesisClient kinesis, String stream) {
        String shardId = kinesis.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<String> records = new ArrayList<>();
        int emptyReads = 0;
        while (emptyReads < 3) {
            String from = iterator;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(from));
            page.records().forEach(r -> records.add(r.data().asString(StandardCharsets.UTF_8)));
            if (page.records().isEmpty()) {
                emptyReads++;
            }
            iterator = page.nextShardIterator();
        }
        return records;
    }
}
