package dev.kinesisaggs.function.storage;

import java.util.List;
import java.util.Map;

/**
 * What putting a set of items came to.
 *
 * @param written   items written, counting each distinct key once
 * @param retries   retry rounds of unprocessed or throttled items (not counting the SDK's own attempts)
 * @param refused   items DynamoDB refused for their content ({@code ValidationException}), by key, with its message:
 *                  found one by one, so that one bad item never fails the others
 * @param unwritten keys still unwritten when the budget ran out (throttling, errors)
 */
public record PutResult(int written, int retries, Map<String, String> refused, List<String> unwritten) {
    public PutResult {
        refused = Map.copyOf(refused);
        unwritten = List.copyOf(unwritten);
    }

    public boolean complete() {
        return unwritten.isEmpty();
    }
}
