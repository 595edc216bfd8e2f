package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** A finite source over a list, counting how often it was opened and closed. */
final class ListSource implements TripSource {

    private final Iterator<SourceItem> items;
    boolean closed;

    ListSource(List<SourceItem> items) {
        this.items = items.iterator();
    }

    @Override
    public Optional<SourceItem> next() {
        return items.hasNext() ? Optional.of(items.next()) : Optional.empty();
    }

    @Override
    public String describe() {
        return "a list";
    }

    @Override
    public void close() {
        closed = true;
    }

    static SourceItem trip(String id, LocalDateTime pickup) {
        return new SourceItem.GoodTrip(new Trip(id, 2, pickup, pickup.plusMinutes(14), 5, -73.98, 40.72, -73.94, 40.83,
                "N", 7.93, 849L, 15309L, 1109L));
    }
}
