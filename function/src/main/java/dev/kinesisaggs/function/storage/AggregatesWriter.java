package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.function.retry.Backoff;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.retry.Sleeper;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Adds a window part to the aggregates table, exactly once.
 *
 * <p>Several shards' parts of one window add up in one item per vendor ({@code ADD}); the item
 * remembers the ids of the parts already added ({@code parts}, a string set), and the update is
 * conditioned on its part id not being there yet. A replay of the same part (Lambda retries
 * the final invoke until it succeeds, and may replay it after a crash) fails the condition,
 * which means "already written" and counts as success. dynalite has no transactions, and one
 * conditional update per vendor needs none: each vendor's item is independent.
 */
public final class AggregatesWriter {

    static final String UPDATE = "ADD #passenger :p, #trips :t, #distance :d, #duration :u, #parts :partSet"
            + " SET #windowEnd = :windowEnd";
    static final String CONDITION = "attribute_not_exists(#parts) OR NOT contains(#parts, :partId)";
    /** Every attribute through a name placeholder: some words (e.g. "duration") are reserved in DynamoDB. */
    static final Map<String, String> NAMES = Map.of("#passenger", "passenger", "#trips", "trips",
            "#distance", "distance", "#duration", "duration", "#parts", "parts", "#windowEnd", "windowEnd");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final CallTimeouts timeouts;

    public AggregatesWriter(DynamoDbClient dynamo, String table, Backoff backoff, Sleeper sleeper, CallTimeouts timeouts) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /** What writing a part did. */
    public record Written(int vendorsAdded, int vendorsAlreadyThere, int retries) {
    }

    /**
     * Writes every vendor of {@code part}.
     *
     * @throws AggregateWriteException when throttling outlasts the budget; Lambda then retries
     *                                 the final invoke, and the vendors already added are skipped
     */
    public Written write(WindowPart part, RetryBudget budget) {
        int added = 0;
        int already = 0;
        int retries = 0;
        for (VendorSums vendor : part.vendors()) {
            UpdateItemRequest request = request(part, vendor);
            for (int attempt = 0; ; attempt++) {
                try {
                    dynamo.updateItem(request.toBuilder().overrideConfiguration(timeouts.forBudget(budget)).build());
                    added++;
                    break;
                } catch (ConditionalCheckFailedException replay) {
                    already++;
                    break;
                } catch (SdkException e) {
                    if (!Throttling.isRetryable(e)) {
                        throw e;
                    }
                    Duration wait = backoff.delay(attempt);
                    if (!budget.allows(wait, timeouts.minimumCall())) {
                        throw new AggregateWriteException("aggregate of vendor " + vendor.vendorId() + " for window "
                                + part.windowStart() + " was not written before the time ran out", e);
                    }
                    sleep(wait);
                    retries++;
                }
            }
        }
        return new Written(added, already, retries);
    }

    UpdateItemRequest request(WindowPart part, VendorSums vendor) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of(
                        Tables.VENDOR_ID, AttributeValue.fromN(Integer.toString(vendor.vendorId())),
                        Tables.WINDOW_START, AttributeValue.fromS(part.windowStart())))
                .updateExpression(UPDATE)
                .conditionExpression(CONDITION)
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(Map.of(
                        ":p", AttributeValue.fromN(Long.toString(vendor.passengers())),
                        ":t", AttributeValue.fromN(Long.toString(vendor.trips())),
                        ":d", AttributeValue.fromN(vendor.distance().toPlainString()),
                        ":u", AttributeValue.fromN(Long.toString(vendor.duration())),
                        ":partSet", AttributeValue.fromSs(java.util.List.of(part.partId())),
                        ":partId", AttributeValue.fromS(part.partId()),
                        ":windowEnd", AttributeValue.fromS(part.windowEnd())))
                .build();
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AggregateWriteException("interrupted while backing off", e);
        }
    }
}
