package dev.kinesisaggs.app.aggregates;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** How {@code aggregates} prints windows. */
public enum OutputFormat {
    /** Aligned columns for a terminal. */
    TABLE {
        @Override
        public String render(List<WindowAggregate> windows, Set<Instant> partialWindows) {
            return AggregatesTable.render(windows);
        }
    },
    /** A JSON array of objects, one per vendor and window. */
    JSON {
        @Override
        public String render(List<WindowAggregate> windows, Set<Instant> partialWindows) {
            return AggregatesJson.render(windows, partialWindows, true);
        }
    },
    /** RFC 4180 CSV with a header line. */
    CSV {
        @Override
        public String render(List<WindowAggregate> windows, Set<Instant> partialWindows) {
            return AggregatesCsv.render(windows);
        }
    };

    /**
     * The whole output, ending with a line break. The windows that hold the sums of some shards only are marked in JSON;
     * the table and CSV leave them to the note on standard error (the CSV's columns are fixed).
     */
    public abstract String render(List<WindowAggregate> windows, Set<Instant> partialWindows);
}
