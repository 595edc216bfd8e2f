package dev.kinesisaggs.esm.invocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;

/**
 * Turns an invocation result into an {@link Outcome}, by AWS's rules:
 * <ul>
 *   <li>a throttled invocation did not reach the function: neither success nor a failed attempt;</li>
 *   <li>a thrown error or a timeout fails the whole batch ({@code Unhandled});</li>
 *   <li>under tumbling windows a response without a {@code state} object fails the whole batch (§3.3);</li>
 *   <li>{@code batchItemFailures} is read only when ReportBatchItemFailures is on; an empty or null list,
 *       an empty or null response is success; an item whose {@code itemIdentifier} is missing, null,
 *       empty, not a string, or not a sequence number of the batch fails the whole batch; otherwise
 *       the lowest failed sequence number wins (§5.5).</li>
 * </ul>
 */
public final class ResponseInterpreter {

    /** Why a windowed invocation whose response has no state failed. */
    public static final String NO_STATE = "the response has no state object, which tumbling windows require";

    private final boolean windowed;
    private final boolean reportBatchItemFailures;
    private final boolean unknownIdentifierFailsWholeBatch;

    public ResponseInterpreter(boolean windowed, boolean reportBatchItemFailures, boolean unknownIdentifierFailsWholeBatch) {
        this.windowed = windowed;
        this.reportBatchItemFailures = reportBatchItemFailures;
        this.unknownIdentifierFailsWholeBatch = unknownIdentifierFailsWholeBatch;
    }

    public Outcome interpret(InvocationResult result, Set<String> batchSequenceNumbers) {
        if (result instanceof InvocationResult.Throttled) {
            return new Outcome.Throttled();
        }
        if (result instanceof InvocationResult.Threw t) {
            return new Outcome.Failed("Unhandled", t.errorType() + ": " + t.errorMessage());
        }
        if (result instanceof InvocationResult.TimedOut t) {
            return new Outcome.Failed("Unhandled", "Task timed out after " + t.duration().toMillis() + " ms");
        }
        String json = ((InvocationResult.Returned) result).responseJson();
        JsonNode response;
        try {
            response = json == null || json.isBlank() ? null : EventJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            // Lambda cannot parse it either; without windows and without RBIF the response is not read at all.
            if (!windowed && !reportBatchItemFailures) {
                return new Outcome.Succeeded(Optional.empty());
            }
            return new Outcome.Failed(null, "the response is not JSON");
        }
        if (response != null && response.isNull()) {
            response = null;
        }
        Optional<JsonNode> state = Optional.empty();
        if (windowed) {
            // Java's TimeWindowEventResponse writes "state": null when the handler set none: that is no state either.
            JsonNode s = response != null && response.isObject() ? response.get("state") : null;
            if (s == null || !s.isObject()) {
                return new Outcome.Failed(null, NO_STATE);
            }
            state = Optional.of(s);
        }
        if (!reportBatchItemFailures || response == null || !response.isObject()) {
            return new Outcome.Succeeded(state);
        }
        JsonNode failures = response.get("batchItemFailures");
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) {
            return new Outcome.Succeeded(state);
        }
        if (!failures.isArray()) {
            return new Outcome.Failed(null, "batchItemFailures is not a list");
        }
        BigInteger lowest = null;
        String lowestText = null;
        for (JsonNode item : failures) {
            JsonNode id = item == null ? null : item.get("itemIdentifier");
            if (id == null || id.isNull() || !id.isTextual() || id.asText().isEmpty()) {
                return new Outcome.Failed(null, "a batchItemFailures entry has a missing, null, empty or non-string itemIdentifier");
            }
            String text = id.asText();
            if (!batchSequenceNumbers.contains(text)) {
                if (unknownIdentifierFailsWholeBatch) {
                    return new Outcome.Failed(null, "itemIdentifier " + text + " is not a sequence number of the batch");
                }
                continue;
            }
            BigInteger seq = new BigInteger(text);
            if (lowest == null || seq.compareTo(lowest) < 0) {
                lowest = seq;
                lowestText = text;
            }
        }
        if (lowestText == null) {
            return new Outcome.Succeeded(state);
        }
        return new Outcome.PartiallyFailed(lowestText, state);
    }
}
