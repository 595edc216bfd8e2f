package dev.kinesisaggs.producer.source;

import java.io.IOException;
import java.util.Optional;

/**
 * A finite or endless sequence of trips (and bad rows), read one at a time so that a large file or an
 * endless generator never sits in memory.
 */
public interface TripSource extends AutoCloseable {

    /** The next item, or empty when the source has ended. */
    Optional<SourceItem> next() throws IOException;

    /** A short human description for progress lines, e.g. {@code "taxi-trips.csv"} or {@code "synthetic (seed 42)"}. */
    String describe();

    @Override
    default void close() throws IOException {
    }
}
