package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** A trip is a value as a record of its fields would be, though its optional numbers are kept unboxed. */
class TripTest {

    private static final LocalDateTime PICKUP = LocalDateTime.of(2016, 1, 1, 0, 14);

    private static Trip trip(Double longitude, Long duration) {
        return new Trip("id1", 2, PICKUP, null, 1, longitude, 40.7, null, null, "N", 1.5, duration, null, 900L);
    }

    @Test
    void anAbsentNumberIsNullNotZero() {
        Trip absent = trip(null, null);
        assertThat(absent.pickupLongitude()).isNull();
        assertThat(absent.tripDuration()).isNull();
        assertThat(absent.dropoffLatitude()).isNull();
        assertThat(absent.googleDuration()).isEqualTo(900L);
        assertThat(absent.gcDistanceOr(-1)).isEqualTo(1.5);
        assertThat(absent.tripDurationOr(-1)).isEqualTo(-1);

        Trip zero = trip(0.0, 0L);
        assertThat(zero.pickupLongitude()).isEqualTo(0.0);
        assertThat(zero.tripDuration()).isEqualTo(0L);
        assertThat(zero.tripDurationOr(-1)).isZero();
        assertThat(zero).isNotEqualTo(absent);
    }

    @Test
    void equalWhenEveryFieldIsAsARecordWouldSay() {
        assertThat(trip(-73.98, 849L)).isEqualTo(trip(-73.98, 849L)).hasSameHashCodeAs(trip(-73.98, 849L));
        assertThat(trip(-73.98, 849L)).isNotEqualTo(trip(-73.97, 849L)).isNotEqualTo(trip(-73.98, 848L));
        // Double.equals: -0.0 is not 0.0, NaN is NaN
        assertThat(trip(-0.0, 1L)).isNotEqualTo(trip(0.0, 1L));
        assertThat(trip(Double.NaN, 1L)).isEqualTo(trip(Double.NaN, 1L));
        assertThat(trip(1.0, 1L)).isNotEqualTo(new Trip("id2", 2, PICKUP, null, 1, 1.0, 40.7, null, null, "N", 1.5,
                1L, null, 900L));
    }

    @Test
    void theParsersUnboxedTripEqualsTheBoxedOne() {
        Trip boxed = trip(-73.98, null);
        int present = 1 << Trip.PICKUP_LONGITUDE | 1 << Trip.PICKUP_LATITUDE | 1 << Trip.GC_DISTANCE
                | 1 << Trip.GOOGLE_DURATION;
        Trip unboxed = new Trip("id1", 2, PICKUP, null, 1, -73.98, 40.7, 0, 0, "N", 1.5, 0, 0, 900, present);
        assertThat(unboxed).isEqualTo(boxed).hasSameHashCodeAs(boxed).hasToString(boxed.toString());
    }

    /** What Trip was, a record of the same components: its equality, hash and text are the reference. */
    private record AsRecord(String id, int vendorId, LocalDateTime pickupDate, LocalDateTime dropoffDate, int passengerCount,
            Double pickupLongitude, Double pickupLatitude, Double dropoffLongitude, Double dropoffLatitude,
            String storeAndFwdFlag, Double gcDistance, Long tripDuration, Long googleDistance, Long googleDuration) {

        Trip trip() {
            return new Trip(id, vendorId, pickupDate, dropoffDate, passengerCount, pickupLongitude, pickupLatitude,
                    dropoffLongitude, dropoffLatitude, storeAndFwdFlag, gcDistance, tripDuration, googleDistance,
                    googleDuration);
        }

        static AsRecord random(Random r) {
            return new AsRecord("id" + r.nextInt(3), 1 + r.nextInt(2), PICKUP.plusMinutes(r.nextInt(2)),
                    r.nextBoolean() ? null : PICKUP.plusMinutes(5), r.nextInt(2), decimal(r), decimal(r), decimal(r),
                    decimal(r), r.nextBoolean() ? null : "N", decimal(r), integer(r), integer(r), integer(r));
        }

        private static Double decimal(Random r) {
            return switch (r.nextInt(6)) {
                case 0 -> null;
                case 1 -> 0.0;
                case 2 -> -0.0;
                case 3 -> Double.NaN;
                default -> (double) r.nextInt(3) - 1.5;
            };
        }

        private static Long integer(Random r) {
            return switch (r.nextInt(3)) {
                case 0 -> null;
                case 1 -> 0L;
                default -> (long) r.nextInt(3);
            };
        }
    }

    @Property(tries = 2000)
    void equalityHashAndTextAreARecordsOfTheSameFields(@ForAll long seed) {
        Random random = new Random(seed);
        AsRecord a = AsRecord.random(random);
        AsRecord b = random.nextBoolean() ? a : AsRecord.random(random); // equal often enough to matter
        assertThat(a.trip().equals(b.trip())).as("%s vs %s", a, b).isEqualTo(a.equals(b));
        assertThat(a.trip().hashCode()).as("%s", a).isEqualTo(a.hashCode());
        assertThat(a.trip().toString()).isEqualTo(a.toString().replace("AsRecord[", "Trip["));
    }

    @Test
    void theParsersConstructorKeepsOnlyTheBitsAndValuesOfNumbersThatAreThere() {
        // a number said absent is 0 whatever is passed, and bits other than the numbers' are dropped
        Trip stray = new Trip("id1", 2, PICKUP, null, 1, -73.98, 40.7, 9, 9, "N", 1.5, 7, 7, 900, -1 & ~(1 << Trip.DROPOFF_LONGITUDE
                | 1 << Trip.DROPOFF_LATITUDE | 1 << Trip.TRIP_DURATION | 1 << Trip.GOOGLE_DISTANCE));
        assertThat(stray).isEqualTo(trip(-73.98, null)).hasSameHashCodeAs(trip(-73.98, null));
    }

    @Test
    void readsAsARecordDoes() {
        assertThat(trip(null, 849L)).hasToString("Trip[id=id1, vendorId=2, pickupDate=2016-01-01T00:14, dropoffDate=null,"
                + " passengerCount=1, pickupLongitude=null, pickupLatitude=40.7, dropoffLongitude=null,"
                + " dropoffLatitude=null, storeAndFwdFlag=N, gcDistance=1.5, tripDuration=849, googleDistance=null,"
                + " googleDuration=900]");
    }
}
