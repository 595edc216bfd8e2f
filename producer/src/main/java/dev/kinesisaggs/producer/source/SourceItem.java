package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** What a trip source yields: a trip, or an input row that is not one (kept so it can be reported or sent as-is). */
public sealed interface SourceItem permits SourceItem.GoodTrip, SourceItem.BadRow {

    /**
     * A clean trip read or generated.
     *
     * @param lineNumber 1-based line number in the input file, 0 for a trip that is not read from one (generated)
     */
    record GoodTrip(Trip trip, long lineNumber) implements SourceItem {
        public GoodTrip {
            Objects.requireNonNull(trip, "trip");
        }

        /** A generated trip, of no line. */
        public GoodTrip(Trip trip) {
            this(trip, 0);
        }
    }

    /**
     * An input row that is not a clean trip.
     *
     * @param lineNumber 1-based line number in the input file (the header of a CSV is line 1)
     * @param rawLine    the line as read, without its line terminator (bytes that are not UTF-8 shown as U+FFFD)
     * @param reason     one human sentence saying why it is not a trip
     * @param bytes      the line's bytes exactly as in the file, which is what {@code --send-bad-rows} sends
     */
    record BadRow(long lineNumber, String rawLine, String reason, byte[] bytes) implements SourceItem {
        public BadRow {
            Objects.requireNonNull(rawLine, "rawLine");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BadRow b && lineNumber == b.lineNumber && rawLine.equals(b.rawLine) && reason.equals(b.reason)
                    && java.util.Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(lineNumber, rawLine, reason, java.util.Arrays.hashCode(bytes));
        }

        /** A row read as text: its bytes are the line's UTF-8. */
        public BadRow(long lineNumber, String rawLine, String reason) {
            this(lineNumber, rawLine, reason, rawLine.getBytes(StandardCharsets.UTF_8));
        }
    }
}
