package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.function.tables.TripItems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementError;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Puts trips' items new, 25 to a call: PartiQL's {@code INSERT}, which DynamoDB documents as a put that fails with
 * {@code DuplicateItem} when an item with the same key exists, in {@code BatchExecuteStatement}, which answers each
 * statement apart ("A HTTP 200 response does not mean that all statements succeeded": the error is per statement).
 * A put-if-new is a compare-and-set on one item, which is what claiming a trip needs (TripClaims says why), and the
 * batch carries 25 of them in one request: the SDK's cost of a call (building, signing, HTTP, parsing), which was
 * most of a trip's CPU with a PutItem each, is paid once per 25 trips. Each statement is a write unit, as a PutItem.
 *
 * <p>What is exact whichever way DynamoDB reports a refusal, since its documentation does not say which refusals come
 * per statement and which for the whole request: an item refused by a statement's {@code ValidationError} is refused
 * alone; a request refused whole ({@code ValidationException}, or as a duplicate) is sent again a statement at a time,
 * so that only the refused item is refused (or found taken); a conflict with a transaction is tried again.
 */
final class TripInserts {

    /** BatchExecuteStatement's limit. */
    static final int PER_CALL = 25;

    /** What became of one insert. */
    sealed interface Result {
        /** Stored now: the trip was new. */
        record Inserted() implements Result {}

        /** An item with the trip's id was there: whose it is must be read. */
        record Taken() implements Result {}

        /** DynamoDB refused the item itself; the message says why. */
        record Refused(String message) implements Result {}

        /** Not done now (throttled, failed on the way, no time left); worth trying again. */
        record Later(String why) implements Result {}
    }

    /**
     * A whole request refused as if for a duplicate: DynamoDB documents these per statement in a batch, and does not
     * rule them out for the request (as for a single ExecuteStatement): sent again one by one, each is found taken.
     */
    private static final Set<String> TAKEN_CODES = Set.of("DuplicateItemException", "ConditionalCheckFailedException");

    static final Result INSERTED = new Result.Inserted();
    static final Result TAKEN = new Result.Taken();

    private final DynamoDbClient dynamo;
    private final String table;
    private final CallTimeouts timeouts;
    /** Set once the endpoint answered that it does not know BatchExecuteStatement; read by the writers' threads. */
    private final AtomicBoolean withoutPartiql = new AtomicBoolean();

    TripInserts(DynamoDbClient dynamo, String table, CallTimeouts timeouts) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /**
     * Inserts up to {@value #PER_CALL} items (of distinct trip ids) in one call; their results, in order.
     *
     * @throws StorageException for what no retry will mend (a missing table, a denied right)
     */
    List<Result> insert(List<Map<String, AttributeValue>> items, RetryBudget budget) {
        if (budget.exhausted()) {
            return nCopies(items.size(), new Result.Later("no time left"));
        }
        if (withoutPartiql.get()) {
            return putEach(items, budget);
        }
        BatchExecuteStatementResponse response;
        try {
            response = dynamo.batchExecuteStatement(request(table, items).toBuilder()
                    .overrideConfiguration(timeouts.forBudget(budget)).build());
        } catch (SdkException e) {
            String code = Throttling.errorCode(e);
            if (worthRetrying(e)) {
                return nCopies(items.size(), new Result.Later(e.getMessage()));
            }
            if (BatchPutter.isRefusal(e) || TAKEN_CODES.contains(code)) {
                return refusedWhole(items, e, budget);
            }
            if (code.equals("UnknownOperationException")) {
                if (withoutPartiql.compareAndSet(false, true)) {
                    System.err.println("kinesis-aggs: the DynamoDB endpoint does not serve BatchExecuteStatement (an unknown"
                            + " operation to it, as to dynalite as it ships): each trip is stored with a conditional PutItem instead");
                }
                return putEach(items, budget);
            }
            throw StorageException.notRetryable("storing trips", table, e);
        }
        List<Result> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            // DynamoDB answers every statement; one it did not answer is tried again
            results.add(i < response.responses().size() ? result(response.responses().get(i).error())
                    : new Result.Later("no answer for the statement"));
        }
        return results;
    }

    /**
     * The same put-if-new as an INSERT, a conditional PutItem per item, for an endpoint that does not serve PartiQL
     * (DynamoDB does; dynalite as it ships and other emulators do not): 25 times the calls, the same outcomes.
     */
    private List<Result> putEach(List<Map<String, AttributeValue>> items, RetryBudget budget) {
        List<Result> results = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            results.add(putIfNew(item, budget));
        }
        return results;
    }

    private Result putIfNew(Map<String, AttributeValue> item, RetryBudget budget) {
        if (budget.exhausted()) {
            return new Result.Later("no time left");
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", Tables.TRIP_ID)).overrideConfiguration(timeouts.forBudget(budget)));
            return INSERTED;
        } catch (ConditionalCheckFailedException taken) {
            return TAKEN;
        } catch (SdkException e) {
            if (worthRetrying(e)) {
                return new Result.Later(e.getMessage());
            }
            if (BatchPutter.isRefusal(e)) {
                return new Result.Refused(BatchPutter.refusal(e));
            }
            throw StorageException.notRetryable("storing trips", table, e);
        }
    }

    /**
     * A request refused whole: one item alone is that item's refusal (or, refused as a duplicate, found taken); several
     * are sent again one by one.
     */
    private List<Result> refusedWhole(List<Map<String, AttributeValue>> items, SdkException e, RetryBudget budget) {
        if (items.size() == 1) {
            return List.of(TAKEN_CODES.contains(Throttling.errorCode(e)) ? TAKEN : new Result.Refused(BatchPutter.refusal(e)));
        }
        List<Result> results = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> item : items) {
            results.addAll(insert(List.of(item), budget));
        }
        return results;
    }

    private Result result(BatchStatementError error) {
        if (error == null) {
            return INSERTED;
        }
        String code = error.codeAsString() == null ? "" : error.codeAsString();
        String message = code + ": " + error.message();
        // a missing table, a denied right: not the record's fault, and not to be hidden
        return switch (code) {
            // an INSERT's only condition is that the key is new (ConditionalCheckFailed is not documented for it)
            case "DuplicateItem", "ConditionalCheckFailed" -> TAKEN;
            case "ValidationError" -> new Result.Refused(message);
            case "ResourceNotFound", "AccessDenied" -> throw StorageException.notRetryable("storing trips", table, code, error.message());
            // throttled, a conflict with a transaction, a server error, or a code added since: tried again
            default -> new Result.Later(message);
        };
    }

    /**
     * The request that inserts the items: one {@code INSERT INTO "table" VALUE {'name': ?, ...}} per item, its values
     * as parameters (never written into the statement, so no value needs quoting and each keeps its DynamoDB type).
     */
    static BatchExecuteStatementRequest request(String table, List<Map<String, AttributeValue>> items) {
        List<BatchStatementRequest> statements = new ArrayList<>(items.size());
        String into = "INSERT INTO \"" + table.replace("\"", "\"\"") + "\" VALUE {";
        for (Map<String, AttributeValue> item : items) {
            StringBuilder statement = new StringBuilder(into.length() + 16 * item.size()).append(into);
            List<AttributeValue> parameters = new ArrayList<>(item.size());
            for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                if (!parameters.isEmpty()) {
                    statement.append(", ");
                }
                statement.append('\'').append(attribute.getKey().replace("'", "''")).append("': ?");
                parameters.add(attribute.getValue());
            }
            statements.add(BatchStatementRequest.builder().statement(statement.append('}').toString()).parameters(parameters).build());
        }
        return BatchExecuteStatementRequest.builder().statements(statements).build();
    }

    /** A trip's item with its claiming occurrence, as inserted. */
    static Map<String, AttributeValue> item(TripClaims.Claim c) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(TripItems.item(c.trip()));
        item.put(TripClaims.OCCURRENCE, AttributeValue.fromS(c.occurrence()));
        return item;
    }

    /** Throttled, failed on the way, or in conflict with a transaction: the same insert may go through later. */
    private static boolean worthRetrying(SdkException e) {
        return Throttling.isRetryable(e) || Throttling.errorCode(e).equals("TransactionConflictException");
    }

    private static List<Result> nCopies(int n, Result r) {
        List<Result> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(r);
        }
        return results;
    }
}
