package dev.kinesisaggs.app.pipeline;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB failing on purpose for chosen items, on top of real calls to dynalite and through the SDK's own
 * pipeline, so that the SDK's error parsing and retries and our handler see them as they would on AWS (the
 * function module's test fault injector, narrowed to chosen items and switchable while a mapping runs):
 * <ul>
 *   <li>a BatchWriteItem that carries a chosen trip id, or an UpdateItem that matches, is throttled (HTTP 400
 *       {@code ProvisionedThroughputExceededException}) on every SDK attempt, and reaches dynalite only as a
 *       harmless ListTables, so nothing of it is written;</li>
 *   <li>BatchWriteItem items with a chosen trip id are taken out of the real request and handed back as
 *       {@code UnprocessedItems}, so they are really not written while the others are.</li>
 * </ul>
 */
final class DynamoDbFaults implements ExecutionInterceptor {

    private static final String THROTTLING = "ProvisionedThroughputExceededException";
    private static final ExecutionAttribute<Boolean> THROTTLE = new ExecutionAttribute<>("kinesisaggs.app.faults.throttle");
    private static final ExecutionAttribute<Map<String, List<WriteRequest>>> WITHHELD =
            new ExecutionAttribute<>("kinesisaggs.app.faults.withheld");
    private static final ExecutionAttribute<Boolean> NOTHING_LEFT = new ExecutionAttribute<>("kinesisaggs.app.faults.nothingLeft");

    private volatile Predicate<String> throttledTrips = id -> false;
    private volatile Predicate<UpdateItemRequest> throttledUpdates = r -> false;
    private volatile Predicate<String> withheldTrips = id -> false;

    /** Throttles every BatchWriteItem carrying a trip whose id matches (all of its items fail together). */
    DynamoDbFaults throttleWritesOf(Predicate<String> tripIds) {
        throttledTrips = tripIds;
        return this;
    }

    /** Throttles every UpdateItem that matches. */
    DynamoDbFaults throttleUpdates(Predicate<UpdateItemRequest> updates) {
        throttledUpdates = updates;
        return this;
    }

    /** Leaves the BatchWriteItem items whose trip id matches unprocessed. */
    DynamoDbFaults withhold(Predicate<String> tripIds) {
        withheldTrips = tripIds;
        return this;
    }

    /** DynamoDB is healthy again. */
    void stop() {
        throttledTrips = id -> false;
        throttledUpdates = r -> false;
        withheldTrips = id -> false;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof UpdateItemRequest update && throttledUpdates.test(update)) {
            attributes.putAttribute(THROTTLE, true);
            return request;
        }
        if (!(request instanceof BatchWriteItemRequest batch)) {
            return request;
        }
        Predicate<String> throttled = throttledTrips;
        if (batch.requestItems().values().stream().flatMap(List::stream).anyMatch(w -> throttled.test(key(w)))) {
            attributes.putAttribute(THROTTLE, true);
            return request;
        }
        Predicate<String> withheldKeys = withheldTrips;
        Map<String, List<WriteRequest>> kept = new LinkedHashMap<>();
        Map<String, List<WriteRequest>> withheld = new LinkedHashMap<>();
        batch.requestItems().forEach((table, writes) -> {
            for (WriteRequest w : writes) {
                (withheldKeys.test(key(w)) ? withheld : kept).computeIfAbsent(table, t -> new ArrayList<>()).add(w);
            }
        });
        if (withheld.isEmpty()) {
            return request;
        }
        attributes.putAttribute(WITHHELD, withheld);
        if (kept.isEmpty()) {
            // BatchWriteItem refuses an empty request: send a harmless call instead
            attributes.putAttribute(NOTHING_LEFT, true);
            return batch;
        }
        return batch.toBuilder().requestItems(kept).build();
    }

    private static String key(WriteRequest w) {
        AttributeValue id = w.putRequest() == null ? null : w.putRequest().item().get("id");
        return id == null || id.s() == null ? "" : id.s();
    }

    private static boolean redirected(ExecutionAttributes attributes) {
        return Boolean.TRUE.equals(attributes.getAttribute(THROTTLE)) || Boolean.TRUE.equals(attributes.getAttribute(NOTHING_LEFT));
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
        if (!Boolean.TRUE.equals(attributes.getAttribute(THROTTLE))) {
            return context.httpResponse();
        }
        return ((SdkHttpFullResponse) context.httpResponse()).toBuilder()
                .statusCode(400)
                .putHeader("x-amzn-ErrorType", THROTTLING)
                .build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!Boolean.TRUE.equals(attributes.getAttribute(THROTTLE))) {
            return context.responseBody();
        }
        String body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + THROTTLING + "\",\"message\":\"injected throttling\"}";
        return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
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
