package dev.kinesisaggs.core.kpl;

import dev.kinesisaggs.core.trip.Rejection;
import java.util.Objects;

/** What reading one Kinesis record as a possible KPL aggregate gave. */
public sealed interface DeaggregationResult {

    /** A plain record: it was passed on as one user record with sub-sequence number 0. */
    Plain PLAIN = new Plain();

    /** A valid aggregate: its {@code userRecordCount} user records were passed on, in order. */
    record Aggregated(int userRecordCount) implements DeaggregationResult {
    }

    /** Not an aggregate (no magic): passed on unchanged as one user record. */
    record Plain() implements DeaggregationResult {
    }

    /**
     * The record has the magic but is not a valid aggregate; nothing was passed on.
     *
     * @param rejection always of reason {@code BAD_AGGREGATE}, with a detail saying what is broken
     */
    record Broken(Rejection rejection) implements DeaggregationResult {
        public Broken {
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
