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
import net.jqwik.api.constraints.IntRange;

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
        assertThat(WindowAccumulator.from(state.totals()).totals()).isEqualTo(state.totals());
    }

    @Property(tries = 200)
    @Label("a run chained through state maps, in invocations of any size and parts of any size, sums like one fold")
    void a_run_chained_through_state_maps_sums_like_one_fold(@ForAll("trips") List<Trip> trips,
                                                             @ForAll @IntRange(min = 1, max = 5) int invocationSize,
                                                             @ForAll @IntRange(min = 1, max = 4) int maxPartVendors) {
        Map<String, String> state = Map.of();
        List<ClosedPart> parts = new java.util.ArrayList<>();
        for (int from = 0; from < trips.size(); from += invocationSize) {
            WindowRun run = WindowRun.resume(WindowState.fromMap(state), "run-1", Integer.toString(1000 + from), maxPartVendors);
            for (int i = from; i < Math.min(trips.size(), from + invocationSize); i++) {
                String seq = Integer.toString(1000 + i);
                run.covers(seq, 0);
                run.fold(trips.get(i), seq).ifPresent(parts::add);
            }
            state = run.state().toMap();
        }
        WindowRun last = WindowRun.resume(WindowState.fromMap(state), "run-1", "0", maxPartVendors);
        if (last.hasContent()) {
            parts.add(last.close(true));
        }
        WindowTotals sum = WindowTotals.EMPTY;
        for (int i = 0; i < parts.size(); i++) {
            ClosedPart p = parts.get(i);
            assertThat(p.index()).isEqualTo(i);
            assertThat(p.endsRun()).isEqualTo(i == parts.size() - 1);
            assertThat(p.totals().byVendor()).hasSizeLessThanOrEqualTo(maxPartVendors);
            sum = sum.merge(p.totals());
        }
        assertThat(sum).isEqualTo(fold(trips));
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
        Arbitrary<String> runs = Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> sequences = Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(129)).map(BigInteger::toString);
        Arbitrary<WindowState> open = Combinators.combine(runs, sequences, Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.integers().between(0, 10_000), sequences.injectNull(0.2), totals()).as((run, start, records, part, first, totals) ->
                new WindowState(run, start, records, 0, part, first, first, totals));
        return Arbitraries.oneOf(open, Arbitraries.just(WindowState.EMPTY));
    }
}
