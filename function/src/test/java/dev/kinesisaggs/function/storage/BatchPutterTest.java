package dev.kinesisaggs.function.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Backoff.Jitter;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class BatchPutterTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), Jitter.FULL);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> sleeps = new ArrayList<>();

    /** A DynamoDB that answers each BatchWriteItem with the given function, and remembers what it stored. */
    private static class FakeDynamo implements DynamoDbClient {
        final Set<String> stored = new HashSet<>();
        final List<Integer> chunkSizes = new ArrayList<>();
        final Function<List<String>, Set<String>> leaveUnprocessed;

        FakeDynamo(Function<List<String>, Set<String>> leaveUnprocessed) {
            this.leaveUnprocessed = leaveUnprocessed;
        }

        @Override
        public synchronized BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            List<WriteRequest> writes = request.requestItems().get("t");
            chunkSizes.add(writes.size());
            List<String> keys = writes.stream().map(w -> w.putRequest().item().get("id").s()).toList();
            assertThat(new HashSet<>(keys)).as("no duplicate key in one chunk").hasSameSizeAs(keys);
            Set<String> left = leaveUnprocessed.apply(keys);
            List<WriteRequest> unprocessed = new ArrayList<>();
            for (WriteRequest w : writes) {
                String key = w.putRequest().item().get("id").s();
                if (left.contains(key)) {
                    unprocessed.add(w);
                } else {
                    stored.add(key);
                }
            }
            return BatchWriteItemResponse.builder()
                    .unprocessedItems(unprocessed.isEmpty() ? Map.of() : Map.of("t", unprocessed)).build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private BatchPutter putter(DynamoDbClient dynamo) {
        return new BatchPutter(dynamo, "t", "id", BACKOFF, new SplittableRandom(3), d -> {
            sleeps.add(d);
            clock.advance(d);
        }, CallTimeouts.defaults(), null);
    }

    private static List<PendingPut> puts(int n) {
        return IntStream.range(0, n).mapToObj(i -> new PendingPut("k" + i, Map.of("id", AttributeValue.fromS("k" + i)))).toList();
    }

    private RetryBudget budget(Duration d) {
        return RetryBudget.of(clock, d, Duration.ZERO);
    }

    @Test
    void writesInChunksOf25() {
        FakeDynamo dynamo = new FakeDynamo(keys -> Set.of());
        PutResult outcome = putter(dynamo).put(puts(60), budget(Duration.ofSeconds(30)));
        assertThat(outcome).isEqualTo(new PutResult(60, 0, Map.of(), List.of()));
        assertThat(dynamo.chunkSizes).containsExactly(25, 25, 10);
        assertThat(dynamo.stored).hasSize(60);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void retriesOnlyTheUnprocessedItemsUntilTheyAreWritten() {
        int[] calls = {0};
        FakeDynamo dynamo = new FakeDynamo(keys -> {
            calls[0]++;
            // the first two calls leave k3 and k30 behind
            return calls[0] <= 2 ? Set.of("k3", "k30") : Set.of();
        });
        PutResult outcome = putter(dynamo).put(puts(40), budget(Duration.ofSeconds(30)));
        assertThat(outcome).isEqualTo(new PutResult(40, 1, Map.of(), List.of()));
        assertThat(dynamo.chunkSizes).containsExactly(25, 15, 2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void aThrottledChunkIsRetriedAsAWhole() {
        int[] calls = {0};
        DynamoDbClient dynamo = new FakeDynamo(keys -> Set.of()) {
            @Override
            public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
                if (++calls[0] == 2) {
                    throw ProvisionedThroughputExceededException.builder().message("slow down")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                            .statusCode(400).build();
                }
                return super.batchWriteItem(request);
            }
        };
        PutResult outcome = putter(dynamo).put(puts(30), budget(Duration.ofSeconds(30)));
        assertThat(outcome).isEqualTo(new PutResult(30, 1, Map.of(), List.of()));
        assertThat(((FakeDynamo) dynamo).stored).hasSize(30);
    }

    @Test
    void aFirstPassThatWritesNothingBacksOffAndTriesAgainBeforeGivingUp() {
        int[] calls = {0};
        // everything throttled (left unprocessed) for the first three calls
        FakeDynamo dynamo = new FakeDynamo(keys -> ++calls[0] <= 3 ? new HashSet<>(keys) : Set.of());
        PutResult outcome = putter(dynamo).put(puts(30), budget(Duration.ofSeconds(30)));
        assertThat(outcome.complete()).isTrue();
        assertThat(dynamo.stored).hasSize(30);
        assertThat(sleeps).isNotEmpty();
    }

    @Test
    void anItemDynamoDbRefusesIsFoundAndReportedAndEveryOtherItemIsWritten() {
        FakeDynamo dynamo = new FakeDynamo(keys -> Set.of()) {
            @Override
            public synchronized BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
                boolean bad = request.requestItems().get("t").stream().anyMatch(w -> w.putRequest().item().get("id").s().equals("k17"));
                if (bad) {
                    throw DynamoDbException.builder().message("Number overflow")
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").errorMessage("Number overflow").build())
                            .statusCode(400).build();
                }
                return super.batchWriteItem(request);
            }
        };
        PutResult outcome = putter(dynamo).put(puts(40), budget(Duration.ofSeconds(30)));
        assertThat(outcome.refused()).isEqualTo(Map.of("k17", "ValidationException: Number overflow"));
        assertThat(outcome.complete()).isTrue();
        assertThat(outcome.written()).isEqualTo(39);
        assertThat(dynamo.stored).hasSize(39).doesNotContain("k17");
    }

    @Test
    void whenTheBudgetRunsOutItReportsTheUnwrittenItems() {
        // k7 and k26 are never accepted
        FakeDynamo dynamo = new FakeDynamo(keys -> {
            Set<String> left = new HashSet<>(keys);
            left.retainAll(Set.of("k7", "k26"));
            return left;
        });
        PutResult outcome = putter(dynamo).put(puts(30), budget(Duration.ofSeconds(3)));
        assertThat(outcome.unwritten()).containsExactlyInAnyOrder("k7", "k26");
        assertThat(outcome.written()).isEqualTo(28);
        assertThat(outcome.retries()).isPositive();
        Duration slept = sleeps.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(slept).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void concurrentChunksReportTheSameItemsAsSequentialOnes() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            FakeDynamo dynamo = new FakeDynamo(keys -> {
                Set<String> left = new HashSet<>(keys);
                left.retainAll(Set.of("k3", "k99", "k180"));
                return left;
            });
            BatchPutter concurrent = new BatchPutter(dynamo, "t", "id",
                    BACKOFF, new SplittableRandom(3), d -> clock.advance(d), CallTimeouts.defaults(), pool);
            PutResult outcome = concurrent.put(puts(200), budget(Duration.ofSeconds(2)));
            assertThat(outcome.unwritten()).containsExactlyInAnyOrder("k3", "k99", "k180");
            assertThat(outcome.written()).isEqualTo(197);
            assertThat(dynamo.stored).hasSize(197);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anErrorThatNoRetryCanFixIsThrownFromAConcurrentChunkToo() {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            DynamoDbClient dynamo = new FakeDynamo(keys -> Set.of()) {
                @Override
                public synchronized BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
                    throw ResourceNotFoundException.builder().message("no table t").statusCode(400).build();
                }
            };
            BatchPutter concurrent = new BatchPutter(dynamo, "t", "id",
                    BACKOFF, new SplittableRandom(3), d -> clock.advance(d), CallTimeouts.defaults(), pool);
            assertThatThrownBy(() -> concurrent.put(puts(60), budget(Duration.ofSeconds(30))))
                    .isInstanceOf(StorageException.class).hasCauseInstanceOf(ResourceNotFoundException.class)
                    .hasMessageStartingWith("writing in table t failed with ResourceNotFoundException");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void duplicateKeysAreWrittenOnceTheLaterWinning() {
        List<PendingPut> puts = List.of(
                new PendingPut("a", Map.of("id", AttributeValue.fromS("a"), "v", AttributeValue.fromN("1"))),
                new PendingPut("b", Map.of("id", AttributeValue.fromS("b"))),
                new PendingPut("a", Map.of("id", AttributeValue.fromS("a"), "v", AttributeValue.fromN("2"))));
        FakeDynamo dynamo = new FakeDynamo(keys -> Set.of());
        PutResult outcome = putter(dynamo).put(puts, budget(Duration.ofMillis(500)));
        assertThat(dynamo.chunkSizes.get(0)).isEqualTo(2);
        assertThat(outcome.written()).isEqualTo(2);
    }

    @Test
    void anErrorThatNoRetryCanFixIsThrown() {
        DynamoDbClient dynamo = new FakeDynamo(keys -> Set.of()) {
            @Override
            public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
                throw ResourceNotFoundException.builder().message("no table t").statusCode(400).build();
            }
        };
        assertThatThrownBy(() -> putter(dynamo).put(puts(3), budget(Duration.ofSeconds(30))))
                .isInstanceOf(StorageException.class).hasCauseInstanceOf(ResourceNotFoundException.class)
                    .hasMessageStartingWith("writing in table t failed with ResourceNotFoundException");
    }

    @Test
    void throttlingIsRecognisedByCodeEvenWithoutAModelledClass() {
        DynamoDbException throttling = (DynamoDbException) DynamoDbException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).statusCode(400).build();
        DynamoDbException validation = (DynamoDbException) DynamoDbException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).statusCode(400).build();
        assertThat(Throttling.isThrottling(throttling)).isTrue();
        assertThat(Throttling.isRetryable(validation)).isFalse();
    }
}
