package dev.kinesisaggs.producer.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kinesisaggs.core.trip.Trip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SyntheticTripSourceTest {

    private static final int N = 100_000;
    private static List<Trip> trips;

    @BeforeAll
    static void generate() {
        trips = take(new SyntheticTripSource(42), N);
    }

    @Test
    void vendorSharesAreTheRealSetsWithinOnePoint() {
        assertThat(share(t -> t.vendorId() == 2)).isCloseTo(0.541, within(0.01));
        assertThat(share(t -> t.vendorId() == 1)).isCloseTo(0.459, within(0.01));
    }

    @Test
    void passengerSharesAreTheRealSets() {
        assertThat(share(t -> t.passengerCount() == 1)).isCloseTo(0.698, within(0.01));
        assertThat(share(t -> t.passengerCount() == 2)).isCloseTo(0.147, within(0.008));
        assertThat(share(t -> t.passengerCount() == 3)).isCloseTo(0.042, within(0.004));
        assertThat(share(t -> t.passengerCount() == 4)).isCloseTo(0.024, within(0.003));
        assertThat(share(t -> t.passengerCount() == 5)).isCloseTo(0.056, within(0.004));
        assertThat(share(t -> t.passengerCount() == 6)).isCloseTo(0.033, within(0.003));
        assertThat(share(t -> t.passengerCount() == 0 || t.passengerCount() == 8)).isLessThan(0.001);
        assertThat(trips).allSatisfy(t -> assertThat(t.passengerCount()).isIn(0, 1, 2, 3, 4, 5, 6, 8));
        double mean = trips.stream().mapToInt(Trip::passengerCount).average().orElseThrow();
        assertThat(mean).isCloseTo(1.69, within(0.03));
    }

    @Test
    void vendorTwoCarriesAlmostAllFiveAndSixPassengerTrips() {
        long big = trips.stream().filter(t -> t.passengerCount() >= 5).count();
        long bigOfVendor2 = trips.stream().filter(t -> t.passengerCount() >= 5 && t.vendorId() == 2).count();
        assertThat((double) bigOfVendor2 / big).isGreaterThan(0.97);
    }

    @Test
    void durationPercentilesAreTheRealSets() {
        long[] durations = trips.stream().mapToLong(Trip::tripDuration).sorted().toArray();
        assertThat((double) percentile(durations, 0.50)).isCloseTo(589, within(589 * 0.03));
        assertThat((double) percentile(durations, 0.90)).isCloseTo(1426, within(1426 * 0.05));
        assertThat((double) percentile(durations, 0.99)).isCloseTo(2986, within(2986 * 0.08));
    }

    @Test
    void tripsArePlausible() {
        assertThat(trips).allSatisfy(t -> {
            assertThat(t.dropoffDate()).isAfter(t.pickupDate());
            assertThat(Duration.between(t.pickupDate(), t.dropoffDate()).toSeconds()).isEqualTo(t.tripDuration());
            for (double lat : new double[] {t.pickupLatitude(), t.dropoffLatitude()}) {
                assertThat(lat).isBetween(40.50, 40.92);
            }
            for (double lon : new double[] {t.pickupLongitude(), t.dropoffLongitude()}) {
                assertThat(lon).isBetween(-74.26, -73.70);
            }
            // nobody crosses the city at more than 45 mph as the crow flies (1 % for the flat-map approximation)
            assertThat(t.gcDistance() * 3600.0 / t.tripDuration()).isLessThanOrEqualTo(45.0 * 1.01);
            if (t.googleDistance() != null) {
                assertThat(t.googleDistance()).isGreaterThanOrEqualTo(Math.round(t.gcDistance() * 1609.344) - 1);
            }
            assertThat(t.storeAndFwdFlag()).isIn("N", "Y");
        });
        double gcMedian = median(trips.stream().mapToDouble(Trip::gcDistance).toArray());
        assertThat(gcMedian).isBetween(1.0, 1.6); // real set: 1.28 miles
        assertThat(share(t -> t.googleDistance() == null)).isCloseTo(0.0142, within(0.003));
    }

    @Test
    void pickupsComeAboutFourAMinuteInOrder() {
        for (int i = 1; i < trips.size(); i++) {
            assertThat(trips.get(i).pickupDate()).isAfterOrEqualTo(trips.get(i - 1).pickupDate());
        }
        assertThat(trips.get(0).pickupDate()).isEqualTo(SyntheticTripSource.DEFAULT_START);
        double minutes = Duration.between(trips.get(0).pickupDate(), trips.get(N - 1).pickupDate()).toSeconds() / 60.0;
        assertThat(N / minutes).isCloseTo(4.0, within(0.1));
    }

    @Test
    void idsAreUniqueAndInTheWorkshopsStyle() {
        Set<String> ids = new HashSet<>();
        for (Trip t : trips) {
            assertThat(t.id()).matches("id\\d{7}");
            ids.add(t.id());
        }
        assertThat(ids).hasSize(N);
    }

    @Test
    void theSameSeedGivesTheSameTripsAndAnotherSeedOthers() {
        assertThat(take(new SyntheticTripSource(42), 1000)).isEqualTo(trips.subList(0, 1000));
        List<Trip> other = take(new SyntheticTripSource(43), 1000);
        assertThat(other.get(0).id()).isNotEqualTo(trips.get(0).id());
        assertThat(other).isNotEqualTo(trips.subList(0, 1000));
    }

    private static List<Trip> take(SyntheticTripSource source, int n) {
        List<Trip> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            result.add(source.nextTrip());
        }
        return result;
    }

    private static double share(java.util.function.Predicate<Trip> p) {
        return (double) trips.stream().filter(p).count() / trips.size();
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.ceil(p * sorted.length) - 1];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
