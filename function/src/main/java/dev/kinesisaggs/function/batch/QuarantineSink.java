package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.Owned;
import dev.kinesisaggs.function.storage.PutOutcome;
import dev.kinesisaggs.function.storage.QuarantinedRecord;
import java.util.List;

/** Where unclean records go: the quarantine table, or nowhere (only counted) when it is switched off. */
@FunctionalInterface
public interface QuarantineSink {

    QuarantineSink OFF = (rejects, budget) -> new PutOutcome.AllWritten(0, 0);

    PutOutcome write(List<Owned<QuarantinedRecord>> rejects, RetryBudget budget);
}
