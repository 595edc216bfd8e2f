package dev.kinesisaggs.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Rejection;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.trip.TripResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo's unclean records: what the function's parser makes of them, and how many there are. */
class UncleanMixTest {

    private static List<SourceItem> take(TripSource source, int n) throws IOException {
        List<SourceItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(source.next().orElseThrow());
        }
        return items;
    }

    @Test
    void aShareOfTheTripsBecomesUncleanRecordsOfEveryKindEachRejectedByTheParserForItsReason() throws IOException {
        List<SourceItem> items = take(new UncleanMix(new SyntheticTripSource(7), 0.05, 7), 20_000);

        Map<RejectReason, Integer> reasons = new EnumMap<>(RejectReason.class);
        Map<String, Integer> timesPerId = new HashMap<>();
        TripParser parser = new TripParser();
        for (SourceItem item : items) {
            if (item instanceof SourceItem.BadRow bad) {
                TripResult parsed = parser.parse(bad.rawLine().getBytes(StandardCharsets.UTF_8));
                assertThat(parsed).as(bad.reason() + ": " + bad.rawLine()).isInstanceOf(Rejection.class);
                reasons.merge(((Rejection) parsed).reason(), 1, Integer::sum);
            } else {
                Trip trip = ((SourceItem.GoodTrip) item).trip();
                timesPerId.merge(trip.id(), 1, Integer::sum);
            }
        }
        long duplicates = timesPerId.values().stream().filter(n -> n == 2).count();
        int bad = reasons.values().stream().mapToInt(Integer::intValue).sum();

        assertThat(reasons).containsOnlyKeys(RejectReason.MALFORMED_JSON, RejectReason.MISSING_FIELD, RejectReason.WRONG_TYPE,
                RejectReason.OUT_OF_RANGE);
        assertThat(reasons.get(RejectReason.OUT_OF_RANGE)).isGreaterThan(reasons.get(RejectReason.MISSING_FIELD)); // two kinds
        assertThat(timesPerId.values()).allMatch(n -> n <= 2);
        assertThat(duplicates).isBetween(bad / 5L - 10, bad / 5L + 10); // one kind in six is a trip put twice
        // 5 % of about 20,000 items, with a seeded draw: well inside 4 % to 6 %
        assertThat(bad + duplicates).isBetween(800L, 1_200L);
    }

    @Test
    void aTripPutTwiceComesAgainRightAfterItsFirst() throws IOException {
        List<SourceItem> items = take(new UncleanMix(new SyntheticTripSource(3), 1.0, 3), 7 * 2);
        List<Integer> twice = new ArrayList<>();
        for (int i = 1; i < items.size(); i++) {
            if (items.get(i) instanceof SourceItem.GoodTrip g && items.get(i - 1) instanceof SourceItem.GoodTrip f
                    && g.trip().id().equals(f.trip().id())) {
                twice.add(i);
            }
        }
        assertThat(twice).containsExactly(6, 13);
    }

    @Test
    void aShareOfZeroIsTheSourceAsItIsAndTheShareIsChecked() throws IOException {
        List<SourceItem> plain = take(new SyntheticTripSource(5), 1_000);
        assertThat(take(new UncleanMix(new SyntheticTripSource(5), 0, 5), 1_000)).isEqualTo(plain);
        assertThat(new UncleanMix(new SyntheticTripSource(5), 0.02, 5).describe()).endsWith(", 2 % of them unclean");
        assertThatThrownBy(() -> new UncleanMix(new SyntheticTripSource(5), 1.5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UncleanMix(new SyntheticTripSource(5), Double.NaN, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFiniteSourceEndsAsBefore() throws IOException {
        UncleanMix mix = new UncleanMix(new ListSource(List.of()), 0.5, 1);
        assertThat(mix.next()).isEqualTo(Optional.empty());
    }
}
