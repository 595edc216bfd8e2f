package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Moves every trip's dates by one offset, chosen so that the first trip's pickup is "now" (to the second) on the
 * given clock; the gaps between trips stay as they are. Like the workshop producer, this makes old data look live.
 * "Now" is the clock's local date-time: give a clock in the zone the consumer reads dates in (UTC by default).
 */
public final class ShiftedToNowSource implements TripSource {

    private final TripSource source;
    private final Clock clock;
    private Duration shift;

    public ShiftedToNowSource(TripSource source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<SourceItem> next() throws IOException {
        Optional<SourceItem> item = source.next();
        if (item.isPresent() && item.get() instanceof SourceItem.GoodTrip good) {
            Trip trip = good.trip();
            if (shift == null) {
                shift = Duration.between(trip.pickupDate(), LocalDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS));
            }
            return Optional.of(TripRewrites.rewrite(good, trip.id(), shift, "to now"));
        }
        return item;
    }

    @Override
    public String describe() {
        return source.describe() + ", shifted to now";
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
