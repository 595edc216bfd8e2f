package dev.kinesisaggs.app.aggregates;

import dev.kinesisaggs.function.tables.AggregateItems;
import dev.kinesisaggs.function.tables.AggregateItems.NotAnAggregate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The items a read left out because they are not window aggregates ({@link AggregateItems#read}): how many, and the
 * first as an example, for a reader to say so rather than fail on one stray item.
 */
public record SkippedItems(int count, Optional<NotAnAggregate> example) {

    public static final SkippedItems NONE = new SkippedItems(0, Optional.empty());

    /** Counts while a read goes on. An item read twice (a marker by its Query, then by the Scan) counts once. */
    static final class Tally {
        private final Set<List<AttributeValue>> keys = new HashSet<>();
        private NotAnAggregate first;

        void add(Map<String, AttributeValue> item, NotAnAggregate why) {
            if (keys.add(Arrays.asList(item.get(AggregateItems.VENDOR_ID), item.get(AggregateItems.SORT_KEY))) && first == null) {
                first = why;
            }
        }

        SkippedItems result() {
            return new SkippedItems(keys.size(), Optional.ofNullable(first));
        }
    }
}
