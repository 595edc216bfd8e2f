package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How old a record may get before it is given up without invoking (spec §5.3), by its arrival time: the mapping's
 * MaximumRecordAgeInSeconds, and in any case the stream's retention period, past which AWS could not read it again
 * for a retry ({@link dev.kinesisaggs.esm.retrieval.StreamSource#retention}). Both report RecordAgeExceeded.
 */
final class RecordAge {

    private final boolean discards;
    private final Duration maximum;

    RecordAge(EventSourceMappingConfig config, Optional<Duration> retention) {
        Optional<Duration> configured = config.discardsByAge()
                ? Optional.of(Duration.ofSeconds(config.maximumRecordAgeInSeconds())) : Optional.empty();
        Optional<Duration> shorter = configured.isEmpty() ? retention
                : retention.filter(r -> r.compareTo(configured.get()) < 0).or(() -> configured);
        this.discards = shorter.isPresent();
        this.maximum = shorter.orElse(Duration.ZERO);
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
