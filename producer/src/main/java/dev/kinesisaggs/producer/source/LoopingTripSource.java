package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * Replays a finite source for ever, as the workshop producer does. Each lap gets fresh ids (see
 * {@link LapIds}) so that the trips table and the consumer see new trips, and its dates move on by the
 * span of the first lap plus one average gap, so that pickups keep going forward in time.
 * Bad rows are passed on as they are, lap after lap.
 */
public final class LoopingTripSource implements TripSource {

    private final TripSourceOpener opener;
    private final LapIds lapIds = new LapIds();
    private TripSource current;
    private long lap;
    private boolean lapHadItems;
    private long tripsInFirstLap;
    private LocalDateTime firstPickup;
    private LocalDateTime lastPickup;
    private Duration lapShift = Duration.ZERO;

    public LoopingTripSource(TripSourceOpener opener) throws IOException {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.current = opener.open();
    }

    @Override
    public Optional<SourceItem> next() throws IOException {
        Optional<SourceItem> item = current.next();
        if (item.isEmpty()) {
            if (!lapHadItems) {
                return Optional.empty(); // an empty source stays empty, instead of reopening it in a busy loop
            }
            startNextLap();
            item = current.next();
            if (item.isEmpty()) {
                return Optional.empty();
            }
        }
        lapHadItems = true;
        if (item.get() instanceof SourceItem.GoodTrip good) {
            Trip trip = good.trip();
            if (lap == 0) {
                noteFirstLap(trip);
                return item;
            }
            return Optional.of(TripRewrites.rewrite(good, lapIds.lapId(trip.id(), lap), lapShift.multipliedBy(lap),
                    "for lap " + lap));
        }
        return item;
    }

    /** The current lap, 0 for the first pass. */
    public long lap() {
        return lap;
    }

    private void noteFirstLap(Trip trip) {
        lapIds.firstLapId(trip.id());
        tripsInFirstLap++;
        if (firstPickup == null || trip.pickupDate().isBefore(firstPickup)) {
            firstPickup = trip.pickupDate();
        }
        if (lastPickup == null || trip.pickupDate().isAfter(lastPickup)) {
            lastPickup = trip.pickupDate();
        }
    }

    private void startNextLap() throws IOException {
        if (lap == 0 && firstPickup != null) {
            Duration span = Duration.between(firstPickup, lastPickup);
            Duration gap = tripsInFirstLap > 1 ? span.dividedBy(tripsInFirstLap - 1) : Duration.ofMinutes(1);
            lapShift = span.plus(gap.isZero() ? Duration.ofSeconds(1) : gap);
        }
        current.close();
        current = opener.open();
        lap++;
        lapHadItems = false;
    }

    @Override
    public String describe() {
        return current.describe() + ", looping";
    }

    @Override
    public void close() throws IOException {
        current.close();
    }
}
