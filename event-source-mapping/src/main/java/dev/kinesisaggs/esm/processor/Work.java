package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.time.Instant;
import java.util.List;

/** A batch being (re)tried on a lane. Bisecting replaces it with its two halves, each with a fresh retry budget. */
final class Work {

    /** A batch of records, a window's final invoke (empty, or its last chunk), or an early termination (empty). */
    enum Kind { DATA, FINAL, EARLY_TERMINATION }

    final Kind kind;
    List<StreamRecord> records;
    int attempts;
    /** Invocations throttled before reaching the function: they set the backoff, not the attempts (spec §5.2). */
    int throttles;
    Instant notBefore;
    String lastRequestId;

    Work(Kind kind, List<StreamRecord> records, Instant notBefore) {
        this.kind = kind;
        this.records = records;
        this.notBefore = notBefore;
    }

    /** True once the batch has been tried, or throttled, at least once. */
    boolean retrying() {
        return attempts > 0 || throttles > 0;
    }

    /** A batch that was only ever throttled still says 1, as AWS's records for what expired before the function ran do (spec §5.3). */
    int approximateInvokeCount() {
        return Math.max(1, attempts);
    }
}
