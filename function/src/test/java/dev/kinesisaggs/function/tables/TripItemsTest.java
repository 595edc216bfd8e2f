package dev.kinesisaggs.function.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.Trip;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TripItemsTest {

    private static Trip trip(LocalDateTime pickup, LocalDateTime dropoff) {
        return new Trip("id1", 2, pickup, dropoff, 1, -73.98, 40.75, null, null, "N", 1.5, 360L, null, null);
    }

    @Test
    void dates_are_stored_as_the_producer_writes_them_seconds_of_zero_included() {
        Map<String, AttributeValue> item = TripItems.item(trip(LocalDateTime.of(2016, 1, 1, 0, 14),
                LocalDateTime.of(2016, 1, 1, 0, 20, 5)));

        assertThat(item.get("pickupDate").s()).isEqualTo("2016-01-01T00:14:00");
        assertThat(item.get("dropoffDate").s()).isEqualTo("2016-01-01T00:20:05");
    }

    @Test
    void a_fraction_of_a_second_is_kept_and_absent_fields_are_left_out() {
        Map<String, AttributeValue> item = TripItems.item(trip(LocalDateTime.of(2016, 1, 1, 0, 14, 0, 500_000_000), null));

        assertThat(item.get("pickupDate").s()).isEqualTo("2016-01-01T00:14:00.5");
        assertThat(item).doesNotContainKeys("dropoffDate", "dropoffLongitude", "googleDistance");
        assertThat(item.get("pickupLongitude").n()).isEqualTo("-73.98");
        assertThat(item.get("tripDuration").n()).isEqualTo("360");
    }
}
