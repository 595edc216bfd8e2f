package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
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
    void emulatorsPastTheirBoundAreStartedAgainOnTheirDataWhileTheirClientsWaitInsteadOfFailing(@TempDir Path data)
            throws Exception {
        // 1 MB, and no minimum lifetime: each emulator is past it from the start, so it is started again at every check
        Duration minimumLifetime = MemoryBound.minimumLifetime;
        MemoryBound.minimumLifetime = Duration.ZERO;
        ExecutorService writers = Executors.newFixedThreadPool(3);
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data).withMemoryBound(1));
             DynamoDbClient dynamoDb = aws.clients().newDynamoDbClient(NO_RETRIES);
             KinesisClient kinesis = aws.clients().newKinesisClient(NO_RETRIES)) {
            Map<String, Long> firstPids = aws.pids();
            LocalAwsIT.createTable(aws.dynamoDb(), "kept");
            LocalAwsIT.roundTripThroughKinesis(aws.kinesis(), "kept", "record 0");
            List<String> written = new ArrayList<>(List.of("record 0"));
            List<String> bounded = aws.kinesisEmulator() == KinesisEmulator.KINESALITE
                    ? List.of("dynalite", "kinesalite") : List.of("dynalite");
            // until each bounded emulator has been started again twice under the traffic (a minute at most)
            long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            AtomicBoolean enough = new AtomicBoolean();

            // three writers at once, so that restarts meet requests in flight
            List<Future<Integer>> items = new ArrayList<>();
            for (int writer = 0; writer < 3; writer++) {
                String prefix = "writer " + writer + " item ";
                items.add(writers.submit(() -> {
                    int n = 0;
                    while (!enough.get()) {
                        String id = prefix + n++;
                        dynamoDb.putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS(id))));
                    }
                    return n;
                }));
            }
            while (!enough.get() && System.nanoTime() < giveUp) {
                String record = "record " + written.size();
                kinesis.putRecord(b -> b.streamName("kept").partitionKey("p").data(SdkBytes.fromUtf8String(record)));
                written.add(record);
                enough.set(bounded.stream().allMatch(emulator -> aws.memoryRestarts().getOrDefault(emulator, 0) >= 2));
            }
            enough.set(true);
            int itemsWritten = 0;
            for (Future<Integer> writer : items) {
                itemsWritten += writer.get();
            }

            assertThat(aws.memoryRestarts()).as("restarts").containsOnlyKeys(bounded)
                    .allSatisfy((emulator, restarts) -> assertThat(restarts).isGreaterThanOrEqualTo(2));
            assertThat(aws.pids()).as("the processes now running").allSatisfy((emulator, pid) -> {
                if (bounded.contains(emulator)) {
                    assertThat(pid).isNotEqualTo(firstPids.get(emulator));
                }
            });
            assertThat(aws.unexpectedExits()).isEmpty();
            int count = dynamoDb.scanPaginator(b -> b.tableName("kept")).stream().mapToInt(page -> page.count()).sum();
            assertThat(count).as("items read back").isEqualTo(itemsWritten);
            assertThat(allRecords(kinesis, "kept")).as("records read back").isEqualTo(written);
        } finally {
            writers.shutdownNow();
            MemoryBound.minimumLifetime = minimumLifetime;
        }
    }

    /**
     * Found by probing: an emulator killed from outside (kill -9) under a demo was reported and left dead, and the demo
     * stalled. Under a bound it is started again on its data, as past the bound: what it answered before is still there.
     */
    @Test
    void anEmulatorKilledFromOutsideIsStartedAgainOnItsData(@TempDir Path data) throws Exception {
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data).withMemoryBound(100_000));
             DynamoDbClient dynamoDb = aws.clients().newDynamoDbClient()) {
            LocalAwsIT.createTable(aws.dynamoDb(), "survives");
            dynamoDb.putItem(b -> b.tableName("survives").item(Map.of("id", AttributeValue.fromS("before"))));
            long killed = aws.pids().get("dynalite");

            assertThat(ProcessHandle.of(killed).orElseThrow().destroyForcibly()).isTrue();
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (aws.pids().get("dynalite") == killed && System.nanoTime() < giveUp) {
                Thread.sleep(100);
            }

            assertThat(aws.pids().get("dynalite")).as("dynalite's pid, a minute after kill -9 of " + killed).isNotEqualTo(killed);
            dynamoDb.putItem(b -> b.tableName("survives").item(Map.of("id", AttributeValue.fromS("after"))));
            assertThat(dynamoDb.scan(b -> b.tableName("survives")).items()).extracting(i -> i.get("id").s())
                    .containsExactlyInAnyOrder("before", "after");
            assertThat(aws.memoryRestarts()).containsEntry("dynalite", 1);
            assertThat(aws.unexpectedExits()).as("said when it happened, and over once it runs again").isEmpty();
        }
    }

    /** One that keeps ending soon after each start (a request that crashes it, retried) is left ended, and said to be. */
    @Test
    void anEmulatorThatKeepsEndingSoonAfterItsStartIsLeftEndedAndSaidToBe(@TempDir Path data) throws Exception {
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data).withMemoryBound(100_000))) {
            for (int end = 1; end <= MemoryBound.MAX_EARLY_ENDS; end++) {
                long pid = aws.pids().get("dynalite");
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < giveUp && (end < MemoryBound.MAX_EARLY_ENDS
                        ? aws.pids().get("dynalite") == pid : aws.unexpectedExits().isEmpty())) {
                    Thread.sleep(100);
                }
            }

            assertThat(aws.memoryRestarts()).containsEntry("dynalite", MemoryBound.MAX_EARLY_ENDS - 1);
            assertThat(aws.unexpectedExits()).singleElement().asString()
                    .startsWith("The dynalite emulator was killed by signal 9")
                    .contains(": it ended 3 times in a row, each within 60 s of its start, and is not started again.");
        }
    }

    /** The gate opens a new connection to the emulator for a request after a pause, rather than one node may be closing. */
    @Test
    void aConnectionLeftIdleIsUsedAgainWithoutAnError(@TempDir Path data) throws InterruptedException {
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withDataDirectory(data).withMemoryBound(100_000));
             DynamoDbClient dynamoDb = aws.clients().newDynamoDbClient(NO_RETRIES)) {
            LocalAwsIT.createTable(aws.dynamoDb(), "idle");
            // the pauses are the point: past the gate's 2 s of idleness, then past node's 5 s keep-alive timeout
            for (Duration pause : List.of(Duration.ZERO, Duration.ofSeconds(3), Duration.ofMillis(5_500))) {
                Thread.sleep(pause.toMillis());
                String id = "after " + pause;
                dynamoDb.putItem(b -> b.tableName("idle").item(Map.of("id", AttributeValue.fromS(id))));
            }

            assertThat(dynamoDb.scan(b -> b.tableName("idle")).count()).isEqualTo(3);
            assertThat(aws.memoryRestarts()).isEmpty();
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
