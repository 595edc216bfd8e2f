package dev.kinesisaggs.app.dashboard;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What {@link RejectCountsQuery} found. */
public sealed interface RejectCounts {

    /**
     * Counts of quarantined records by reason.
     *
     * @param complete false when the scan stopped at its bound before the end of the table
     */
    record Counted(Map<String, Long> byReason, long total, boolean complete) implements RejectCounts {
        public Counted {
            // sorted by reason, so that the JSON lists them in a stable order
            byReason = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(byReason, "byReason")));
        }
    }

    /** The quarantine table does not exist (for example, the pipeline has not run yet). */
    record TableMissing(String tableName) implements RejectCounts {
    }
}
