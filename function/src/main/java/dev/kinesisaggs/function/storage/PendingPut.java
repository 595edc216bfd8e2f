package dev.kinesisaggs.function.storage;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item to put, and who it belongs to.
 *
 * @param owner the caller's position of the record that carried the item, reported back on failure
 * @param key   the item's key value, to recognise it among {@code UnprocessedItems}
 * @param item  the whole item
 */
public record PendingPut(int owner, String key, Map<String, AttributeValue> item) {
    public PendingPut {
        Objects.requireNonNull(key, "key");
        item = Map.copyOf(item);
    }
}
