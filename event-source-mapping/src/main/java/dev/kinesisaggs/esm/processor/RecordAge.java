package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.time.Duration;
import java.time.Instant;

/** MaximumRecordAgeInSeconds: a record older than it, by its arrival time, is given up without invoking (spec §5.3). */
final class RecordAge {

    private final boolean discards;
    private final Duration maximum;

    RecordAge(EventSourceMappingConfig config) {
        this.discards = config.discardsByAge();
        this.maximum = Duration.ofSeconds(config.maximumRecordAgeInSeconds());
    }

    boolean discards() {
        return discards;
    }

    boolean expired(StreamRecord r, Instant now) {
        return discards && Duration.between(r.approximateArrivalTimestamp(), now).compareTo(maximum) > 0;
    }

    /** The first moment the record is expired. */
    Instant expiresAt(StreamRecord r) {
        return r.approximateArrivalTimestamp().plus(maximum).plusMillis(1);
    }
}
