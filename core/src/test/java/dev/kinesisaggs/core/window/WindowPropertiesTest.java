package dev.kinesisaggs.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripArbitraries;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class WindowPropertiesTest {

    @Property(tries = 300)
    @Label("merge is associative")
    void merge_is_associative(@ForAll("totals") WindowTotals a, @ForAll("totals") WindowTotals b,
                              @ForAll("totals") WindowTotals c) {
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    }

    @Property(tries = 300)
    @Label("merge is commutative")
    void merge_is_commutative(@ForAll("totals") WindowTotals a, @ForAll("totals") WindowTotals b) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
    }

    @Property(tries = 300)
    @Label("EMPTY is neutral for merge")
    void empty_is_neutral(@ForAll("totals") WindowTotals a) {
        assertThat(a.merge(WindowTotals.EMPTY)).isEqualTo(a);
        assertThat(WindowTotals.EMPTY.merge(a)).isEqualTo(a);
    }

    @Property(tries = 300)
    @Label("folding two halves and merging equals folding the whole, in any split")
    void fold_then_merge_equals_fold_of_all(@ForAll("trips") List<Trip> trips, @ForAll("fraction") double split) {
        int cut = (int) (split * trips.size());
        assertThat(fold(trips.subList(0, cut)).merge(fold(trips.subList(cut, trips.size()))))
                .isEqualTo(fold(trips));
    }

    @Property(tries = 300)
    @Label("folding equals summing each trip's own totals")
    void fold_equals_sum_of_single_trips(@ForAll("trips") List<Trip> trips) {
        WindowTotals expected = WindowTotals.EMPTY;
        for (Trip t : trips) {
            expected = expected.merge(new WindowTotals(Map.of(t.vendorId(), VendorTotals.of(t))));
        }
        assertThat(fold(trips)).isEqualTo(expected);
    }

    @Property(tries = 300)
    @Label("a state survives the trip through Map<String,String>")
    void state_map_round_trip(@ForAll("states") WindowState state) {
        Map<String, String> map = state.toMap();
        assertThat(WindowState.fromMap(map)).isEqualTo(state);
        assertThat(WindowAccumulator.fromStateMap(map).state()).isEqualTo(state);
    }

    @Property(tries = 200)
    @Label("an invocation chain through state maps sums like one fold")
    void invocations_chained_through_state_maps(@ForAll("trips") List<Trip> trips) {
        Map<String, String> state = Map.of();
        for (int i = 0; i < trips.size(); i++) {
            WindowAccumulator acc = WindowAccumulator.fromStateMap(state);
            acc.fold("shardId-000000000001", Integer.toString(1000 + i), trips.get(i));
            state = acc.toStateMap();
        }
        WindowState end = WindowState.fromMap(state);
        assertThat(end.totals()).isEqualTo(fold(trips));
        assertThat(end.partId()).isEqualTo(trips.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new WindowPartId("shardId-000000000001", BigInteger.valueOf(1000))));
    }

    private static WindowTotals fold(List<Trip> trips) {
        WindowAccumulator acc = new WindowAccumulator();
        trips.forEach(acc::fold);
        return acc.totals();
    }

    @Provide
    Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<List<Trip>> trips() {
        return TripArbitraries.cleanTrips().list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<WindowTotals> totals() {
        Arbitrary<Long> sums = Arbitraries.oneOf(Arbitraries.longs().between(0, 1_000_000),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, Long.MAX_VALUE));
        Arbitrary<VendorTotals> vendorTotals = Combinators.combine(sums, sums, sums, sums).as(VendorTotals::new);
        Arbitrary<Integer> vendors = Arbitraries.oneOf(Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, Integer.MAX_VALUE));
        return Arbitraries.maps(vendors, vendorTotals).ofMaxSize(6).map(WindowTotals::new);
    }

    @Provide
    Arbitrary<WindowState> states() {
        Arbitrary<WindowPartId> parts = Combinators.combine(
                Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(30),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(129))).as(WindowPartId::new);
        return Combinators.combine(parts.injectNull(0.2), totals()).as(WindowState::new);
    }
}
