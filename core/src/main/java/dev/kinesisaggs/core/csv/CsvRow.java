package dev.kinesisaggs.core.csv;

import dev.kinesisaggs.core.trip.Trip;
import java.util.Objects;

/** What one data line of a trip CSV yields: a clean trip, or a bad row kept as it was written. */
public sealed interface CsvRow permits CsvRow.Clean, CsvRow.Bad {

    /** The 1-based line number in the file (the header is line 1). */
    long lineNumber();

    /** A row that is a clean trip. */
    record Clean(long lineNumber, Trip trip) implements CsvRow {
        public Clean {
            Objects.requireNonNull(trip, "trip");
        }
    }

    /**
     * A row that is not a clean trip.
     *
     * @param lineNumber the 1-based line number in the file
     * @param line       the line exactly as read, without its line terminator, so it can be sent as-is
     * @param reason     one sentence saying what is wrong, e.g. {@code passenger_count "x" is not a whole number}
     */
    record Bad(long lineNumber, String line, String reason) implements CsvRow {
        public Bad {
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
