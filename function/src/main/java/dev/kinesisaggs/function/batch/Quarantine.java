package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.RejectsWriter;
import dev.kinesisaggs.function.tables.RecordRejects;
import java.util.List;

/** Where what is not counted goes: the quarantine table, or nowhere (only counted in the log line) when it is switched off. */
@FunctionalInterface
public interface Quarantine {

    Quarantine OFF = (rejects, budget) -> new RejectsWriter.Written(0, 0, 0, 0);

    RejectsWriter.Written write(List<RecordRejects> rejects, RetryBudget budget);
}
