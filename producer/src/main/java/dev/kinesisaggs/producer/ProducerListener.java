package dev.kinesisaggs.producer;

import dev.kinesisaggs.producer.source.SourceItem;

/** What a {@link Producer} tells while it runs; called on the producer's thread, so keep it quick. */
public interface ProducerListener {

    /** Every progress interval, and once more at the end. */
    default void onProgress(ProducerProgress progress) {
    }

    /** A row that is not a trip: skipped, or sent as it is when {@code sentAsIs}. */
    default void onBadRow(SourceItem.BadRow row, boolean sentAsIs) {
    }

    ProducerListener NONE = new ProducerListener() {
    };
}
