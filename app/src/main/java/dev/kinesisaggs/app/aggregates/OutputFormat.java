package dev.kinesisaggs.app.aggregates;

import java.util.List;

/** How {@code aggregates} prints windows. */
public enum OutputFormat {
    /** Aligned columns for a terminal. */
    TABLE {
        @Override
        public String render(List<WindowAggregate> windows) {
            return AggregatesTable.render(windows);
        }
    },
    /** A JSON array of objects, one per vendor and window. */
    JSON {
        @Override
        public String render(List<WindowAggregate> windows) {
            return AggregatesJson.render(windows, true);
        }
    },
    /** RFC 4180 CSV with a header line. */
    CSV {
        @Override
        public String render(List<WindowAggregate> windows) {
            return AggregatesCsv.render(windows);
        }
    };

    /** The whole output, ending with a line break. */
    public abstract String render(List<WindowAggregate> windows);
}
