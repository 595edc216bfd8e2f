package dev.kinesisaggs.function.testing;

import dev.kinesisaggs.localaws.faults.DynamoDbFaultProxy;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementError;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Injects DynamoDB's failures on top of real calls to the emulator, through the SDK's own
 * pipeline (so the SDK's error parsing and retry strategy see them as they would on AWS):
 * <ul>
 *   <li>throttling: the next N calls of an operation (all SDK attempts of each) get an HTTP 400
 *       with the given error code, and reach the emulator only as a harmless ListTables;</li>
 *   <li>throttling of chosen items, switchable while a pipeline runs: every BatchWriteItem carrying a matching
 *       key gets {@code ProvisionedThroughputExceededException} the same way;</li>
 *   <li>partial {@code UnprocessedItems}: BatchWriteItem items whose key matches are taken out of
 *       the real request and handed back as unprocessed, so they are really not written;</li>
 *   <li>partial {@code UnprocessedKeys}: the next N BatchGetItem calls read only the first key of each table, and
 *       hand the others back as unprocessed, as DynamoDB does under throttling or past 16 MB.</li>
 * </ul>
 */
public final class DynamoDbFaults implements ExecutionInterceptor {

    private static final String THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    private static final ExecutionAttribute<String> THROTTLE = new ExecutionAttribute<>("kinesisaggs.faults.throttle");
    private static final ExecutionAttribute<Map<String, List<WriteRequest>>> WITHHELD =
            new ExecutionAttribute<>("kinesisaggs.faults.withheld");
    private static final ExecutionAttribute<Boolean> NOTHING_LEFT = new ExecutionAttribute<>("kinesisaggs.faults.nothingLeft");
    private static final ExecutionAttribute<Boolean> CONSISTENT_READ = new ExecutionAttribute<>("kinesisaggs.faults.consistentRead");
    private static final ExecutionAttribute<FailedStatements> FAILED_STATEMENTS = new ExecutionAttribute<>("kinesisaggs.faults.failedStatements");
    private static final ExecutionAttribute<Map<String, KeysAndAttributes>> UNREAD = new ExecutionAttribute<>("kinesisaggs.faults.unread");

    private final Map<String, AtomicInteger> throttles = new ConcurrentHashMap<>();
    private final Map<String, String> throttleCodes = new ConcurrentHashMap<>();
    private volatile Predicate<String> withheldKeys = key -> false;
    private volatile Predicate<String> throttledWriteKeys = key -> false;
    private volatile Predicate<Map<String, AttributeValue>> throttledWriteItems = item -> false;
    private volatile Predicate<String> failedPutKeys = key -> false;
    private volatile String failedPutCode = THROUGHPUT_EXCEEDED;
    private final AtomicInteger throttledCalls = new AtomicInteger();
    private final AtomicInteger partialReads = new AtomicInteger();
    private final List<String> insertedIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger withheldItems = new AtomicInteger();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> itemsFound = new ConcurrentHashMap<>();

    /** Throttles the next {@code times} calls of {@code operation} (e.g. "BatchWriteItem"); {@code Integer.MAX_VALUE} = all. */
    public DynamoDbFaults throttle(String operation, int times, String errorCode) {
        throttles.put(operation, new AtomicInteger(times));
        throttleCodes.put(operation, errorCode);
        return this;
    }

    /** Throttles every BatchWriteItem carrying an item whose key matches (all of its items fail together). */
    public DynamoDbFaults throttleWritesOf(Predicate<String> keys) {
        this.throttledWriteKeys = keys;
        return this;
    }

    /** Throttles every BatchWriteItem carrying an item that matches (all of its items fail together). */
    public DynamoDbFaults throttleWritesWhere(Predicate<Map<String, AttributeValue>> items) {
        this.throttledWriteItems = items;
        return this;
    }

    /**
     * Fails every PutItem whose item key (a string attribute named id or recordId; items without one, as the aggregates',
     * are let through) matches with this error code, e.g.
     * {@code ProvisionedThroughputExceededException} (throttled) or {@code ValidationException} (refused); and every
     * INSERT of such an item in a BatchExecuteStatement, with the statement's error code for it
     * ({@code ProvisionedThroughputExceeded}, {@code ValidationError}), the others going through.
     */
    public DynamoDbFaults failPutsOf(Predicate<String> keys, String errorCode) {
        this.failedPutCode = errorCode;
        this.failedPutKeys = keys;
        return this;
    }

    /** Leaves BatchWriteItem items whose key (any string attribute named id or recordId) matches unprocessed. */
    public DynamoDbFaults withhold(Predicate<String> keys) {
        this.withheldKeys = keys;
        return this;
    }

    /** The next {@code times} BatchGetItem calls ({@code Integer.MAX_VALUE} = all) read one key a table, the rest unprocessed. */
    public DynamoDbFaults leaveKeysUnprocessed(int times) {
        partialReads.set(times);
        return this;
    }

    public void clear() {
        throttles.clear();
        partialReads.set(0);
        withheldKeys = key -> false;
        throttledWriteKeys = key -> false;
        throttledWriteItems = item -> false;
        failedPutKeys = key -> false;
    }

    public int throttledCalls() {
        return throttledCalls.get();
    }

    public int withheldItems() {
        return withheldItems.get();
    }

    /** The ids of the items that BatchExecuteStatement calls so far were sent to INSERT (the function's trips), in order. */
    public List<String> insertedIds() {
        return List.copyOf(insertedIds);
    }

    public int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    /**
     * The items of {@code table} that eventually consistent BatchGetItem calls (the look-ups before writing, not the
     * consistent reads of what an insert found taken) have answered with so far.
     */
    public int itemsFound(String table) {
        return itemsFound.getOrDefault(table, new AtomicInteger()).get();
    }

    private static String operation(SdkRequest request) {
        return request.getClass().getSimpleName().replace("Request", "");
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        String operation = operation(context.request());
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        AtomicInteger left = throttles.get(operation);
        if (left != null && left.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
            return throttled(context.request(), attributes, throttleCodes.get(operation));
        }
        if (context.request() instanceof PutItemRequest put && !key(put.item()).isEmpty() && failedPutKeys.test(key(put.item()))) {
            return throttled(put, attributes, failedPutCode);
        }
        if (context.request() instanceof BatchExecuteStatementRequest batch) {
            batch.statements().forEach(statement -> insertedIds.add(insertedKey(statement)));
            Predicate<String> failed = failedPutKeys;
            List<BatchStatementRequest> kept = new ArrayList<>();
            List<Integer> failedAt = new ArrayList<>();
            for (int i = 0; i < batch.statements().size(); i++) {
                BatchStatementRequest statement = batch.statements().get(i);
                String key = insertedKey(statement);
                if (!key.isEmpty() && failed.test(key)) {
                    failedAt.add(i);
                } else {
                    kept.add(statement);
                }
            }
            if (!failedAt.isEmpty()) {
                throttledCalls.incrementAndGet();
                attributes.putAttribute(FAILED_STATEMENTS, new FailedStatements(failedAt, batch.statements().size(), failedPutCode));
                if (kept.isEmpty()) {
                    attributes.putAttribute(NOTHING_LEFT, true);
                    return batch;
                }
                return batch.toBuilder().statements(kept).build();
            }
        }
        if (context.request() instanceof BatchGetItemRequest read) {
            attributes.putAttribute(CONSISTENT_READ, read.requestItems().values().stream()
                    .anyMatch(k -> Boolean.TRUE.equals(k.consistentRead())));
        }
        if (context.request() instanceof BatchGetItemRequest get
                && partialReads.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
            Map<String, KeysAndAttributes> read = new LinkedHashMap<>();
            Map<String, KeysAndAttributes> unread = new LinkedHashMap<>();
            get.requestItems().forEach((table, keys) -> {
                read.put(table, keys.toBuilder().keys(keys.keys().subList(0, 1)).build());
                if (keys.keys().size() > 1) {
                    unread.put(table, keys.toBuilder().keys(keys.keys().subList(1, keys.keys().size())).build());
                }
            });
            attributes.putAttribute(UNREAD, unread);
            return get.toBuilder().requestItems(read).build();
        }
        if (context.request() instanceof BatchWriteItemRequest batch) {
            Predicate<String> throttledKeys = throttledWriteKeys;
            Predicate<Map<String, AttributeValue>> throttledItems = throttledWriteItems;
            if (batch.requestItems().values().stream().flatMap(List::stream).anyMatch(w -> throttledKeys.test(key(w))
                    || (w.putRequest() != null && throttledItems.test(w.putRequest().item())))) {
                return throttled(batch, attributes, THROUGHPUT_EXCEEDED);
            }
            Map<String, List<WriteRequest>> kept = new LinkedHashMap<>();
            Map<String, List<WriteRequest>> withheld = new LinkedHashMap<>();
            batch.requestItems().forEach((table, writes) -> {
                for (WriteRequest w : writes) {
                    boolean hold = withheldKeys.test(key(w));
                    (hold ? withheld : kept).computeIfAbsent(table, t -> new ArrayList<>()).add(w);
                }
            });
            if (!withheld.isEmpty()) {
                withheld.values().forEach(l -> withheldItems.addAndGet(l.size()));
                attributes.putAttribute(WITHHELD, withheld);
                if (kept.isEmpty()) {
                    // BatchWriteItem refuses an empty request: send a harmless call instead
                    attributes.putAttribute(NOTHING_LEFT, true);
                    return batch;
                }
                return batch.toBuilder().requestItems(kept).build();
            }
        }
        return context.request();
    }

    private SdkRequest throttled(SdkRequest request, ExecutionAttributes attributes, String errorCode) {
        throttledCalls.incrementAndGet();
        attributes.putAttribute(THROTTLE, errorCode);
        return request;
    }

    private static String key(WriteRequest w) {
        return w.putRequest() == null ? "" : key(w.putRequest().item());
    }

    private static String key(Map<String, AttributeValue> item) {
        AttributeValue key = item.containsKey("id") ? item.get("id") : item.get("recordId");
        return key == null || key.s() == null ? "" : key.s();
    }

    /** The id or recordId an INSERT's item carries (its parameters follow the statement's names), or "". */
    private static String insertedKey(BatchStatementRequest statement) {
        int k = DynamoDbFaultProxy.keyParameter(statement.statement());
        String key = k < 0 || k >= statement.parameters().size() ? null : statement.parameters().get(k).s();
        return key == null ? "" : key;
    }

    /** The statements of a BatchExecuteStatement taken out, to be answered with an error each. */
    private record FailedStatements(List<Integer> positions, int size, String exceptionCode) {
        /** A statement's error code for an exception's (ValidationException is ValidationError, and so on). */
        String statementCode() {
            return switch (exceptionCode) {
                case "ValidationException" -> "ValidationError";
                case "ThrottlingException" -> "ThrottlingError";
                default -> exceptionCode.replaceFirst("Exception$", "");
            };
        }
    }

    private static boolean redirected(ExecutionAttributes attributes) {
        return attributes.getAttribute(THROTTLE) != null || Boolean.TRUE.equals(attributes.getAttribute(NOTHING_LEFT));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        if (!redirected(attributes)) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder()
                .putHeader("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .putHeader("Content-Length", "2")
                .build();
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        return redirected(attributes) ? Optional.of(RequestBody.fromString("{}")) : context.requestBody();
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        String code = attributes.getAttribute(THROTTLE);
        if (code == null) {
            return context.httpResponse();
        }
        return ((SdkHttpFullResponse) context.httpResponse()).toBuilder()
                .statusCode(400)
                .putHeader("x-amzn-ErrorType", code)
                .build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        String code = attributes.getAttribute(THROTTLE);
        if (code == null) {
            return context.responseBody();
        }
        String body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + code + "\",\"message\":\"injected " + code + "\"}";
        return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        FailedStatements failed = attributes.getAttribute(FAILED_STATEMENTS);
        if (failed != null && context.response() instanceof BatchExecuteStatementResponse answered) {
            List<BatchStatementResponse> responses = new ArrayList<>();
            int kept = 0;
            for (int i = 0; i < failed.size(); i++) {
                if (failed.positions().contains(i)) {
                    responses.add(BatchStatementResponse.builder().error(BatchStatementError.builder()
                            .code(failed.statementCode()).message("injected " + failed.statementCode()).build()).build());
                } else {
                    responses.add(answered.responses().get(kept++));
                }
            }
            return answered.toBuilder().responses(responses).build();
        }
        if (context.response() instanceof BatchGetItemResponse found && found.hasResponses()
                && !Boolean.TRUE.equals(attributes.getAttribute(CONSISTENT_READ))) {
            found.responses().forEach((table, items) ->
                    itemsFound.computeIfAbsent(table, t -> new AtomicInteger()).addAndGet(items.size()));
        }
        Map<String, KeysAndAttributes> unread = attributes.getAttribute(UNREAD);
        if (unread != null && context.response() instanceof BatchGetItemResponse got && !unread.isEmpty()) {
            return got.toBuilder().unprocessedKeys(unread).build(); // the one key read of each table was processed
        }
        Map<String, List<WriteRequest>> withheld = attributes.getAttribute(WITHHELD);
        if (withheld == null || !(context.response() instanceof BatchWriteItemResponse response)) {
            return context.response();
        }
        Map<String, List<WriteRequest>> unprocessed = new LinkedHashMap<>();
        if (response.hasUnprocessedItems()) {
            response.unprocessedItems().forEach((t, l) -> unprocessed.put(t, new ArrayList<>(l)));
        }
        withheld.forEach((t, l) -> unprocessed.computeIfAbsent(t, k -> new ArrayList<>()).addAll(l));
        return response.toBuilder().unprocessedItems(unprocessed).build();
    }
}
