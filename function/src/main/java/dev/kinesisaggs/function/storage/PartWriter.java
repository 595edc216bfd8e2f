package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Sleeper;
import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.tables.AggregateItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Writes a window run to the aggregates table ({@link AggregateItems}): its opening when it begins, and each closed
 * part: the part's vendor items with BatchWriteItem, then its marker, which says the part is whole. Every item of a part is a pure function of the
 * part (run, index, records), so writing it again writes the same values: a retry after a lost answer, or after a
 * timeout in the middle, can neither double-count nor mix two runs.
 *
 * <p>A retry does not redo what is done: a part whose marker is there is skipped whole (one read); of a large part
 * whose marker is not there yet, the vendor items already there are read first (a hundred keys per call, cheaper than
 * writing them again) and only the others are written, so a retried final invoke of a window with 100,000 vendors
 * continues where the last attempt stopped.
 */
public final class PartWriter {

    /** Below this many vendors, writing a part again costs less than reading which of its items are there. */
    static final int CHECK_EXISTING_ABOVE = 100;
    private static final int BATCH_GET = 100;

    /** What writing a part did. */
    public record Written(int vendorItems, int alreadyThere, boolean partWasWhole, int retries) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final BatchPutter putter;
    private final Backoff backoff;
    private final RandomGenerator jitter;
    private final Sleeper sleeper;
    private final CallTimeouts timeouts;

    public PartWriter(DynamoDbClient dynamo, String table, BatchPutter putter, Backoff backoff, RandomGenerator jitter, Sleeper sleeper,
                      CallTimeouts timeouts) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.putter = Objects.requireNonNull(putter, "putter");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /**
     * Writes the opening of a run that begins ({@link AggregateItems#opening}): one PutItem, of the same values
     * whenever it is written again.
     *
     * @return the retries it took
     * @throws StorageException when it could not be written before the budget ran out: the invocation fails, and its
     *                          retry begins a run of its own
     */
    public int open(AggregateItems.PartPlace place, String run, String runStart, RetryBudget budget) {
        Map<String, AttributeValue> opening = AggregateItems.opening(place, run, runStart);
        int[] retries = {0};
        retrying(budget, retries, "writing the opening of run " + AggregateItems.openingSortKey(place, run), () ->
                dynamo.putItem(b -> b.tableName(table).item(opening).overrideConfiguration(timeouts.forBudget(budget))));
        return retries[0];
    }

    /**
     * @throws StorageException when the part could not be written whole before the budget ran out: the invocation
     *                          fails, and its retry writes the same part
     */
    public Written write(AggregateItems.PartPlace place, ClosedPart part, RetryBudget budget) {
        String sortKey = AggregateItems.sortKey(place, part);
        int[] retries = {0};
        boolean whole = retrying(budget, retries, "reading the marker of part " + sortKey, () ->
                dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(AggregateItems.key(AggregateItems.MARKER_VENDOR, sortKey))
                        .overrideConfiguration(timeouts.forBudget(budget))).hasItem());
        if (whole) {
            return new Written(0, part.totals().byVendor().size(), true, retries[0]);
        }
        Map<Integer, Map<String, AttributeValue>> items = AggregateItems.vendorItems(place, part);
        Set<Integer> there = items.size() > CHECK_EXISTING_ABOVE ? existing(sortKey, items.keySet(), budget, retries) : Set.of();
        List<PendingPut> puts = new ArrayList<>(items.size());
        items.forEach((vendor, item) -> {
            if (!there.contains(vendor)) {
                puts.add(new PendingPut(Integer.toString(vendor), item));
            }
        });
        PutResult result = putter.put(puts, budget);
        retries[0] += result.retries();
        if (!result.refused().isEmpty()) {
            // our own sums, bounded by construction: a refusal here is a bug, not data to quarantine
            throw new IllegalStateException("DynamoDB refused aggregate items of part " + sortKey + ": " + result.refused());
        }
        if (!result.complete()) {
            throw new StorageException(result.unwritten().size() + " of " + puts.size() + " aggregate items of part " + sortKey
                    + " could not be written before the time ran out");
        }
        Map<String, AttributeValue> marker = AggregateItems.marker(place, part);
        retrying(budget, retries, "writing the marker of part " + sortKey, () ->
                dynamo.putItem(b -> b.tableName(table).item(marker).overrideConfiguration(timeouts.forBudget(budget))));
        return new Written(puts.size(), there.size(), false, retries[0]);
    }

    /** Which of these vendors' items of the part are there already (strongly consistent reads). */
    private Set<Integer> existing(String sortKey, Set<Integer> vendors, RetryBudget budget, int[] retries) {
        Set<Integer> there = new HashSet<>();
        List<Integer> all = new ArrayList<>(vendors);
        for (int from = 0; from < all.size(); from += BATCH_GET) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (int vendor : all.subList(from, Math.min(all.size(), from + BATCH_GET))) {
                keys.add(AggregateItems.key(vendor, sortKey));
            }
            String what = "reading which items of part " + sortKey + " are there";
            for (int round = 1; !keys.isEmpty(); round++) {
                if (round > 1) {
                    // keys left unprocessed (a throttled partition, or the 16 MB limit): AWS asks for backoff before asking again
                    backOff(budget, retries, round - 1, what + " (keys left unprocessed)", null);
                }
                List<Map<String, AttributeValue>> ask = keys;
                BatchGetItemResponse response = retrying(budget, retries, what,
                        () -> dynamo.batchGetItem(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder().keys(ask)
                                .consistentRead(true).projectionExpression(AggregateItems.VENDOR_ID).build()))
                                .overrideConfiguration(timeouts.forBudget(budget))));
                response.responses().getOrDefault(table, List.of())
                        .forEach(item -> there.add(Integer.parseInt(item.get(AggregateItems.VENDOR_ID).n())));
                KeysAndAttributes left = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(table) : null;
                keys = left == null || !left.hasKeys() ? List.of() : left.keys();
            }
        }
        return there;
    }

    /** One call, retried with backoff while it is throttled or fails on the way and the budget allows. */
    private <T> T retrying(RetryBudget budget, int[] retries, String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (!Throttling.isRetryable(e)) {
                    throw StorageException.notRetryable(what, table, e);
                }
                backOff(budget, retries, attempt, what, e);
            }
        }
    }

    /** Waits before retry {@code attempt + 1}, or fails when the budget does not allow it. */
    private void backOff(RetryBudget budget, int[] retries, int attempt, String what, SdkException cause) {
        Duration wait = backoff.delayBeforeRetry(attempt, jitter); // retry n follows attempt n
        if (!budget.allows(wait, timeouts.minimumCall())) {
            throw new StorageException(what + " did not succeed before the time ran out"
                    + (cause == null ? "" : " (" + cause.getMessage() + ")"), cause);
        }
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while backing off", interrupted);
        }
        retries[0]++;
    }
}
