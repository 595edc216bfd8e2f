package dev.kinesisaggs.function.storage;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item to put.
 *
 * @param key   the item's key value, to recognise it among {@code UnprocessedItems}
 * @param item  the whole item
 */
public record PendingPut(String key, Map<String, AttributeValue> item) {
    public PendingPut {
        Objects.requireNonNull(key, "key");
        item = Map.copyOf(item);
    }
}
