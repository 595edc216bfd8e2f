package dev.kinesisaggs.producer.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.Trip;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShiftedToNowSourceTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2016, 1, 1, 0, 0);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:34:56.789Z"), ZoneOffset.UTC);

    @Test
    void theFirstPickupIsNowAndTheGapsStay() throws IOException {
        SourceItem bad = new SourceItem.BadRow(3, "garbage", "not a trip");
        TripSource source = new ShiftedToNowSource(new ListSource(List.of(
                ListSource.trip("id0000001", T0), bad, ListSource.trip("id0000002", T0.plusMinutes(3).plusSeconds(7)))), clock);

        Trip first = ((SourceItem.GoodTrip) source.next().orElseThrow()).trip();
        assertThat(first.pickupDate()).isEqualTo(LocalDateTime.of(2026, 11, 27, 12, 34, 56));
        assertThat(first.dropoffDate()).isEqualTo(LocalDateTime.of(2026, 11, 27, 12, 48, 56));
        assertThat(first.id()).isEqualTo("id0000001");
        assertThat(source.next()).contains(bad);
        Trip second = ((SourceItem.GoodTrip) source.next().orElseThrow()).trip();
        assertThat(second.pickupDate()).isEqualTo(LocalDateTime.of(2026, 11, 27, 12, 38, 3));
        assertThat(source.next()).isEmpty();
    }

    @Test
    void aTripWhoseDatesWouldLeaveTheYearsATripMayHaveIsABadRowWithItsLine() throws IOException {
        Trip late = new Trip("id0000009", 1, LocalDateTime.of(9999, 12, 31, 23, 0), null, 1, null, null, null, null, null,
                null, null, null, null);
        TripSource source = new ShiftedToNowSource(new ListSource(List.of(new SourceItem.GoodTrip(((SourceItem.GoodTrip) ListSource.trip("id0000001", T0)).trip(), 2),
                new SourceItem.GoodTrip(late, 3))), clock);

        assertThat(source.next()).get().isInstanceOf(SourceItem.GoodTrip.class);
        SourceItem.BadRow bad = (SourceItem.BadRow) source.next().orElseThrow();
        assertThat(bad.lineNumber()).isEqualTo(3);
        assertThat(bad.reason()).isEqualTo("trip id0000009's dates, moved to now, would be in the year 10010, out of 0000-9999");
        assertThat(bad.rawLine()).contains("\"pickupDate\":\"9999-12-31T23:00:00\"");
    }

    @Test
    void aTripWithoutDropoffKeepsItAbsent() throws IOException {
        Trip noDropoff = new Trip("id0000001", 1, T0, null, 1, null, null, null, null, null, null, null, null, null);
        TripSource source = new ShiftedToNowSource(new ListSource(List.of(new SourceItem.GoodTrip(noDropoff))), clock);
        Trip shifted = ((SourceItem.GoodTrip) source.next().orElseThrow()).trip();
        assertThat(shifted.dropoffDate()).isNull();
        assertThat(shifted.pickupDate()).isEqualTo(LocalDateTime.of(2026, 11, 27, 12, 34, 56));
    }
}
