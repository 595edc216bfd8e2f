package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
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

    @Test
    void readsAsARecordDoes() {
        assertThat(trip(null, 849L)).hasToString("Trip[id=id1, vendorId=2, pickupDate=2016-01-01T00:14, dropoffDate=null,"
                + " passengerCount=1, pickupLongitude=null, pickupLatitude=40.7, dropoffLongitude=null,"
                + " dropoffLatitude=null, storeAndFwdFlag=N, gcDistance=1.5, tripDuration=849, googleDistance=null,"
                + " googleDuration=900]");
    }
}
