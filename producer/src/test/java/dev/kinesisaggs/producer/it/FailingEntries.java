package dev.kinesisaggs.producer.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Makes chosen entries of real PutRecords calls fail, as a throttled shard would: the entry is taken out of the
 * request before it is sent (so it is really not written), and a failed result with the chosen error code is put
 * back at its place in the real response. When every entry of a call is to fail, the call is sent to a discard
 * stream instead, because Kinesis refuses an empty PutRecords.
 *
 * <p>Entries are chosen by partition key ({@link #failTimes}: a key fails its first n sends) or by position
 * ({@link #failEveryNthEntryOfCall}).
 */
final class FailingEntries implements ExecutionInterceptor {

    private static final ExecutionAttribute<List<String>> ERRORS = new ExecutionAttribute<>("kinesisaggs.injectedErrors");

    private final String discardStream;
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, String> errorCodes = new ConcurrentHashMap<>();
    private final Map<Integer, Map.Entry<Integer, String>> everyNthOfCall = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    FailingEntries(String discardStream) {
        this.discardStream = discardStream;
    }

    /** The entry of this partition key fails its first {@code times} sends with {@code errorCode}. */
    FailingEntries failTimes(String partitionKey, int times, String errorCode) {
        failuresLeft.put(partitionKey, new AtomicInteger(times));
        errorCodes.put(partitionKey, errorCode);
        return this;
    }

    /** In the {@code call}-th PutRecords call (1-based), entries 0, n, 2n... fail with {@code errorCode}. */
    FailingEntries failEveryNthEntryOfCall(int call, int n, String errorCode) {
        everyNthOfCall.put(call, Map.entry(n, errorCode));
        return this;
    }

    /** How many entry failures were injected so far. */
    int injected() {
        return injected.get();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof PutRecordsRequest request)) {
            return context.request();
        }
        Map.Entry<Integer, String> nth = everyNthOfCall.get(calls.incrementAndGet());
        List<String> errors = new ArrayList<>(request.records().size());
        List<PutRecordsRequestEntry> kept = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            PutRecordsRequestEntry entry = request.records().get(i);
            AtomicInteger left = failuresLeft.get(entry.partitionKey());
            if (nth != null && i % nth.getKey() == 0) {
                errors.add(nth.getValue());
            } else if (left != null && left.getAndDecrement() > 0) {
                errors.add(errorCodes.get(entry.partitionKey()));
            } else {
                errors.add(null);
                kept.add(entry);
            }
        }
        injected.addAndGet((int) errors.stream().filter(e -> e != null).count());
        attributes.putAttribute(ERRORS, errors);
        if (kept.isEmpty()) {
            return request.toBuilder().streamName(discardStream).build();
        }
        return request.toBuilder().records(kept).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        List<String> errors = attributes.getAttribute(ERRORS);
        if (!(context.response() instanceof PutRecordsResponse response) || errors == null) {
            return context.response();
        }
        boolean allFailed = errors.stream().allMatch(e -> e != null);
        List<PutRecordsResultEntry> real = response.records();
        List<PutRecordsResultEntry> merged = new ArrayList<>(errors.size());
        int next = 0;
        int failed = 0;
        for (String error : errors) {
            if (error != null) {
                merged.add(PutRecordsResultEntry.builder()
                        .errorCode(error)
                        .errorMessage("injected by the test: " + error)
                        .build());
                failed++;
            } else {
                PutRecordsResultEntry result = real.get(next++);
                merged.add(result);
                if (result.errorCode() != null) {
                    failed++;
                }
            }
        }
        if (!allFailed && next != real.size()) {
            throw new IllegalStateException("the real response has " + real.size() + " results for " + next + " entries");
        }
        return response.toBuilder().records(merged).failedRecordCount(failed).build();
    }
}
