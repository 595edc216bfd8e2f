package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.PartWriter;
import dev.kinesisaggs.function.tables.AggregateItems;

/** Where a window run goes: the aggregates table. */
public interface PartSink {

    /**
     * Records that a run begins, before the invocation that begins it answers (a run given up before it wrote a part
     * then still shows), or throws when it cannot in the time left.
     *
     * @return the retries it took
     */
    int open(AggregateItems.PartPlace place, String run, String runStart, RetryBudget budget);

    /** Writes the part whole, or throws when it cannot in the time left (the retry writes the same part). */
    PartWriter.Written write(AggregateItems.PartPlace place, ClosedPart part, RetryBudget budget);

    /** The aggregates table, through {@code writer} (which does not know this port: storage does not depend on batch). */
    static PartSink into(PartWriter writer) {
        return new PartSink() {
            @Override
            public int open(AggregateItems.PartPlace place, String run, String runStart, RetryBudget budget) {
                return writer.open(place, run, runStart, budget);
            }

            @Override
            public PartWriter.Written write(AggregateItems.PartPlace place, ClosedPart part, RetryBudget budget) {
                return writer.write(place, part, budget);
            }
        };
    }
}
