package dev.kinesisaggs.producer.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.Trip;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoopingTripSourceTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2016, 1, 1, 0, 0);
    private final List<ListSource> opened = new ArrayList<>();

    private LoopingTripSource looping(List<SourceItem> items) throws IOException {
        return new LoopingTripSource(() -> {
            ListSource s = new ListSource(items);
            opened.add(s);
            return s;
        });
    }

    private static List<SourceItem> take(TripSource source, int n) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(source.next().orElseThrow());
        }
        return items;
    }

    private static Trip trip(SourceItem item) {
        return ((SourceItem.GoodTrip) item).trip();
    }

    @Test
    void replaysWithFreshIdsInTheWorkshopsStyle() throws IOException {
        List<SourceItem> data = List.of(ListSource.trip("id0190469", T0), ListSource.trip("id1665586", T0.plusMinutes(1)));
        List<SourceItem> items = take(looping(data), 2 * 12);

        assertThat(items.stream().map(i -> trip(i).id()).toList().subList(0, 6))
                .containsExactly("id0190469", "id1665586", "id10190469", "id11665586", "id20190469", "id21665586");
        assertThat(new HashSet<>(items.stream().map(i -> trip(i).id()).toList())).hasSize(24);
        assertThat(items.stream().map(i -> trip(i).id()).toList().subList(22, 24)).containsExactly("id110190469", "id111665586");
        assertThat(items).allSatisfy(i -> assertThat(trip(i).id()).matches("id\\d{7,}"));
    }

    @Test
    void otherIdsGetASeparatorNoIdHasAndTheLap() throws IOException {
        List<SourceItem> items = take(looping(List.of(ListSource.trip("trip-a", T0))), 3);
        assertThat(items).extracting(i -> trip(i).id()).containsExactly("trip-a", "trip-a~1", "trip-a~2");

        items = take(looping(List.of(ListSource.trip("a~1", T0), ListSource.trip("b|", T0))), 4);
        assertThat(items).extracting(i -> trip(i).id()).containsExactly("a~1", "b|", "a~1#1", "b|#1");
    }

    /** Found by probing: a fixed rule made lap ids that were other trips' ids, so distinct trips were dropped as duplicates. */
    @Test
    void noLapIdIsAnIdOfTheFileOrOfAnotherLapWhateverTheFileHolds() throws IOException {
        List<SourceItem> data = List.of(ListSource.trip("id0000001", T0), ListSource.trip("id10000001", T0),
                ListSource.trip("trip", T0), ListSource.trip("trip-1", T0), ListSource.trip("trip~1", T0));
        List<String> ids = take(looping(data), 5 * 30).stream().map(i -> trip(i).id()).toList();

        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids.subList(5, 10)).containsExactly("id0000001|1", "id10000001|1", "trip|1", "trip-1|1", "trip~1|1");
    }

    /** Found by probing: an id of 256 characters with a lap added is one no partition key can be; said, not sent. */
    @Test
    void aTripWhoseLapIdWouldBeTooLongIsABadRowWithItsLine() throws IOException {
        String longest = "L".repeat(256);
        List<SourceItem> items = take(looping(List.of(ListSource.trip(longest, T0), ListSource.trip("short", T0))), 4);

        assertThat(trip(items.get(0)).id()).isEqualTo(longest);
        assertThat(items.get(2)).isInstanceOfSatisfying(SourceItem.BadRow.class, bad -> assertThat(bad.reason())
                .isEqualTo("trip " + longest + "'s id, made fresh for lap 1, would have 258 characters, more than the 256 a"
                        + " Kinesis partition key allows"));
        assertThat(trip(items.get(3)).id()).isEqualTo("short~1");
    }

    @Test
    void eachLapMovesOnInTimeByTheSpanOfTheFirstPlusOneGap() throws IOException {
        List<SourceItem> data = List.of(ListSource.trip("id0000001", T0), ListSource.trip("id0000002", T0.plusMinutes(10)),
                ListSource.trip("id0000003", T0.plusMinutes(20)));
        List<SourceItem> items = take(looping(data), 9);
        List<LocalDateTime> pickups = items.stream().map(i -> trip(i).pickupDate()).toList();
        for (int i = 0; i < 9; i++) {
            assertThat(pickups.get(i)).isEqualTo(T0.plusMinutes(10L * i));
            assertThat(trip(items.get(i)).dropoffDate()).isEqualTo(pickups.get(i).plusMinutes(14));
        }
        // everything but id and dates is kept
        assertThat(trip(items.get(4)).passengerCount()).isEqualTo(5);
        assertThat(trip(items.get(4)).googleDistance()).isEqualTo(15309L);
    }

    @Test
    void badRowsComeAgainEachLapAsTheyAre() throws IOException {
        SourceItem bad = new SourceItem.BadRow(3, "id9,x", "vendor_id is not a number");
        List<SourceItem> items = take(looping(List.of(ListSource.trip("id0000001", T0), bad)), 4);
        assertThat(items.get(1)).isEqualTo(bad);
        assertThat(items.get(3)).isEqualTo(bad);
    }

    @Test
    void reopensTheSourceEachLapAndClosesTheOldOne() throws IOException {
        LoopingTripSource source = looping(List.of(ListSource.trip("id0000001", T0)));
        take(source, 3);
        assertThat(opened).hasSize(3);
        assertThat(opened.get(0).closed).isTrue();
        assertThat(opened.get(1).closed).isTrue();
        assertThat(source.lap()).isEqualTo(2);
        source.close();
        assertThat(opened.get(2).closed).isTrue();
    }

    @Test
    void anEmptySourceEndsInsteadOfSpinning() throws IOException {
        assertThat(looping(List.of()).next()).isEqualTo(Optional.empty());
    }
}
