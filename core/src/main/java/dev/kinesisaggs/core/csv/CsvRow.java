package dev.kinesisaggs.core.csv;

import dev.kinesisaggs.core.trip.Trip;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
     * @param line       the line as read, without its line terminator (bytes that are not UTF-8 shown as U+FFFD)
     * @param reason     one sentence saying what is wrong, e.g. {@code passenger_count "x" is not a whole number}
     * @param bytes      the line's bytes exactly as in the file, so it can be sent as-is
     */
    record Bad(long lineNumber, String line, String reason, byte[] bytes) implements CsvRow {
        public Bad {
            Objects.requireNonNull(line, "line");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(bytes, "bytes");
        }

        /** A line of UTF-8 text: its bytes are the text's. */
        public Bad(long lineNumber, String line, String reason) {
            this(lineNumber, line, reason, line.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bad b && lineNumber == b.lineNumber && line.equals(b.line) && reason.equals(b.reason)
                    && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(lineNumber, line, reason, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return "Bad[lineNumber=" + lineNumber + ", line=" + line + ", reason=" + reason + "]";
        }
    }
}
