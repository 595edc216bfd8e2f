package dev.kinesisaggs.core.trip;

import java.time.LocalDateTime;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of clean trips for property tests, with every optional field sometimes absent. */
public final class TripArbitraries {

    private TripArbitraries() {
    }

    /** Clean trips: every value within {@link TripRules}. */
    public static Arbitrary<Trip> cleanTrips() {
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12).map(s -> "id" + s),
                Arbitraries.strings().all().excludeChars(surrogates()).ofMinLength(1).ofMaxLength(40));
        Arbitrary<Integer> vendors = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(1, 2)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, Integer.MAX_VALUE)));
        Arbitrary<LocalDateTime> pickups = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 60L * 60 * 24 * 366 * 200)
                        .map(s -> LocalDateTime.of(1920, 1, 1, 0, 0).plusSeconds(s)),
                Arbitraries.longs().between(0, 60L * 60 * 24 * 366 * 200).flatMap(s ->
                        Arbitraries.integers().between(1, 999_999_999)
                                .map(n -> LocalDateTime.of(1920, 1, 1, 0, 0).plusSeconds(s).withNano(n))));
        Arbitrary<Long> dropoffDelays = Arbitraries.longs().between(0, 60L * 60 * 24 * 30).injectNull(0.2);
        Arbitrary<Integer> passengers = Arbitraries.integers().between(0, 9);
        Arbitrary<Double[]> coordinates = Combinators.combine(
                coordinate(180), coordinate(90), coordinate(180), coordinate(90)).as((a, b, c, d) -> new Double[] {a, b, c, d});
        Arbitrary<Object[]> rest = Combinators.combine(
                Arbitraries.of("Y", "N").injectNull(0.2),
                nonNegativeDouble(TripRules.MAX_GC_DISTANCE_MILES),
                nonNegativeLong(TripRules.MAX_DURATION_SECONDS), nonNegativeLong(TripRules.MAX_ROAD_DISTANCE_METRES),
                nonNegativeLong(TripRules.MAX_DURATION_SECONDS)).as((f, gc, td, gd, gdur) -> new Object[] {f, gc, td, gd, gdur});
        return Combinators.combine(ids, vendors, pickups, dropoffDelays, passengers, coordinates, rest)
                .as((id, vendor, pickup, delay, pc, c, r) -> new Trip(id, vendor, pickup,
                        delay == null ? null : pickup.plusSeconds(delay), pc, c[0], c[1], c[2], c[3],
                        (String) r[0], (Double) r[1], (Long) r[2], (Long) r[3], (Long) r[4]));
    }

    private static Arbitrary<Double> coordinate(double max) {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-max, max),
                Arbitraries.doubles().between(-max, max).ofScale(5),
                Arbitraries.of(-max, max, 0.0, -0.0, TripRules.DYNAMODB_MIN_MAGNITUDE, -TripRules.DYNAMODB_MIN_MAGNITUDE))
                .filter(TripArbitraries::storable).injectNull(0.1);
    }

    private static Arbitrary<Double> nonNegativeDouble(double max) {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 100).ofScale(9),
                Arbitraries.doubles().between(0, max),
                Arbitraries.of(0.0, TripRules.DYNAMODB_MIN_MAGNITUDE, 1e-7, max)).filter(TripArbitraries::storable).injectNull(0.1);
    }

    /** What DynamoDB stores: 0, or a magnitude from 1E-130 (a random double may be smaller). */
    private static boolean storable(double d) {
        return d == 0 || Math.abs(d) >= TripRules.DYNAMODB_MIN_MAGNITUDE;
    }

    private static Arbitrary<Long> nonNegativeLong(long max) {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, Math.min(100_000, max)),
                Arbitraries.longs().between(0, max),
                Arbitraries.of(0L, max)).injectNull(0.1);
    }

    private static char[] surrogates() {
        char[] s = new char[0xE000 - 0xD800];
        for (int i = 0; i < s.length; i++) {
            s[i] = (char) (0xD800 + i);
        }
        return s;
    }
}
