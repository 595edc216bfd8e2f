package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.AggregatesWriter;
import dev.kinesisaggs.function.storage.WindowPart;

/** Where a finished window part goes: the aggregates table. */
@FunctionalInterface
public interface AggregateSink {

    /** Adds the part exactly once; throws when it cannot be written in the time left. */
    AggregatesWriter.Written write(WindowPart part, RetryBudget budget);
}
