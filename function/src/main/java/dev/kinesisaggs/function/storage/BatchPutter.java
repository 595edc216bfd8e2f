package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Sleeper;
import dev.kinesisaggs.function.retry.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Puts items into one table with BatchWriteItem, 25 at a time, and retries only what DynamoDB left
 * unprocessed (or a whole chunk that was throttled), with exponential backoff and full jitter, as long as
 * the invocation's retry budget allows; a first pass that writes nothing backs off and tries again too.
 *
 * <p>DynamoDB refuses a whole BatchWriteItem call when one of its items is invalid (a {@code ValidationException}:
 * a number it cannot store, an item over 400 KB, an empty key...). Such a chunk is split in halves, and the
 * halves again, down to the items DynamoDB refuses on their own: those are reported by key with DynamoDB's
 * message, and every other item is written. One bad item never fails its neighbours.
 *
 * <p>Two items with the same key are written once (the later wins), because BatchWriteItem refuses a chunk
 * with duplicate keys.
 */
public final class BatchPutter {

    /** BatchWriteItem's limit. */
    public static final int CHUNK = 25;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String keyAttribute;
    private final Backoff backoff;
    private final RandomGenerator jitter;
    private final Sleeper sleeper;
    private final CallTimeouts timeouts;
    private final ExecutorService executor;

    /**
     * @param executor writes chunks concurrently; {@code null} = one after the other. Daemon threads,
     *                 shared for the container's life (a Lambda container is frozen, never shut down).
     */
    public BatchPutter(DynamoDbClient dynamo, String table, String keyAttribute, Backoff backoff,
                       RandomGenerator jitter, Sleeper sleeper, CallTimeouts timeouts, ExecutorService executor) {
        this.executor = executor;
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.keyAttribute = Objects.requireNonNull(keyAttribute, "keyAttribute");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    public String table() {
        return table;
    }

    public PutResult put(List<PendingPut> puts, RetryBudget budget) {
        Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
        for (PendingPut put : puts) {
            items.put(put.key(), put.item());
        }
        Map<String, String> refused = new ConcurrentHashMap<>();
        List<String> unwritten = new ArrayList<>(items.keySet());
        int retries = 0;
        while (true) {
            unwritten = writeOnce(unwritten, items, refused, budget);
            if (unwritten.isEmpty()) {
                break;
            }
            Duration wait = backoff.delayBeforeRetry(retries + 1, jitter);
            // a retry is only worth it if the call can also finish before the deadline
            if (!budget.allows(wait, timeouts.minimumCall())) {
                break;
            }
            sleep(wait);
            retries++;
        }
        return new PutResult(items.size() - unwritten.size() - refused.size(), retries, refused, unwritten);
    }

    /**
     * One pass over {@code keys} in chunks; returns the keys still unwritten (refused ones excluded), in order.
     * With an executor, the chunks are written concurrently: their order does not matter to DynamoDB, and 40
     * sequential round trips would be most of a 1,000-record invocation.
     */
    private List<String> writeOnce(List<String> keys, Map<String, Map<String, AttributeValue>> items, Map<String, String> refused,
                                   RetryBudget budget) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += CHUNK) {
            chunks.add(keys.subList(from, Math.min(keys.size(), from + CHUNK)));
        }
        List<String> unwritten = new ArrayList<>();
        if (executor == null || chunks.size() == 1) {
            for (List<String> chunk : chunks) {
                unwritten.addAll(writeChunk(chunk, items, refused, budget));
            }
            return unwritten;
        }
        List<Future<List<String>>> futures = new ArrayList<>(chunks.size());
        for (List<String> chunk : chunks) {
            futures.add(executor.submit(() -> writeChunk(chunk, items, refused, budget)));
        }
        RuntimeException failure = null;
        for (Future<List<String>> future : futures) {
            try {
                unwritten.addAll(future.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while writing to " + table, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return unwritten;
    }

    /** Writes one chunk; returns its keys still unwritten (refused ones go to {@code refused} instead). */
    private List<String> writeChunk(List<String> chunk, Map<String, Map<String, AttributeValue>> items, Map<String, String> refused,
                                    RetryBudget budget) {
        if (budget.exhausted()) {
            return chunk;
        }
        List<WriteRequest> requests = new ArrayList<>(chunk.size());
        for (String key : chunk) {
            requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(items.get(key)).build()).build());
        }
        try {
            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b
                    .requestItems(Map.of(table, requests))
                    .overrideConfiguration(timeouts.forBudget(budget)));
            List<WriteRequest> left = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
            if (left.isEmpty()) {
                return List.of();
            }
            Set<String> leftKeys = new HashSet<>();
            for (WriteRequest w : left) {
                AttributeValue key = w.putRequest().item().get(keyAttribute);
                leftKeys.add(key.s() != null ? key.s() : key.n());
            }
            List<String> unwritten = new ArrayList<>();
            for (String key : chunk) {
                if (leftKeys.contains(key)) {
                    unwritten.add(key);
                }
            }
            return unwritten;
        } catch (SdkException e) {
            if (Throttling.isRetryable(e)) {
                return chunk;
            }
            if (isRefusal(e)) {
                if (chunk.size() == 1) {
                    refused.put(chunk.get(0), refusal(e));
                    return List.of();
                }
                // somewhere in this chunk is an item DynamoDB refuses: find it, write the others
                int half = (chunk.size() + 1) / 2;
                List<String> unwritten = new ArrayList<>(writeChunk(chunk.subList(0, half), items, refused, budget));
                unwritten.addAll(writeChunk(chunk.subList(half, chunk.size()), items, refused, budget));
                return unwritten;
            }
            throw StorageException.notRetryable("writing", table, e);
        }
    }

    /** Why DynamoDB refused an item, as the quarantine keeps it: {@code ValidationException: <its message>}. */
    static String refusal(SdkException e) {
        return e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage() : e.getMessage();
    }

    /** DynamoDB's answer to content it cannot store: a 400 that is neither throttling nor a missing table or right. */
    static boolean isRefusal(SdkException e) {
        return e instanceof AwsServiceException service && service.statusCode() == 400 && service.awsErrorDetails() != null
                && "ValidationException".equals(service.awsErrorDetails().errorCode());
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while backing off", e);
        }
    }
}
