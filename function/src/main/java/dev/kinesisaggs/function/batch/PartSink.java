package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.PartWriter;
import dev.kinesisaggs.function.tables.AggregateItems;

/** Where a closed part of a window run goes: the aggregates table. */
@FunctionalInterface
public interface PartSink {

    /** Writes the part whole, or throws when it cannot in the time left (the retry writes the same part). */
    PartWriter.Written write(AggregateItems.PartPlace place, ClosedPart part, RetryBudget budget);
}
