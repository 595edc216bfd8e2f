package dev.kinesisaggs.core.trip;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One clean taxi trip, as the workshop producer writes it.
 *
 * <p>Required fields are primitives or non-null; optional fields are {@code null} when absent.
 * Dates are the local date-times written by the producer (New York time in the data set);
 * a date written with a zone or offset is converted to UTC.
 *
 * @param id               trip id, non-empty; also the stream's partition key and the trips table key
 * @param vendorId         taxi vendor, at least 1
 * @param pickupDate       when the trip started
 * @param dropoffDate      when it ended, not before pickup; {@code null} when absent
 * @param passengerCount   0..9
 * @param gcDistance       great-circle distance (miles, as in the data set); {@code null} when absent
 * @param tripDuration     seconds; {@code null} when absent
 * @param googleDistance   metres by road; {@code null} when absent
 * @param googleDuration   seconds by road; {@code null} when absent
 */
public record Trip(
        String id,
        int vendorId,
        LocalDateTime pickupDate,
        LocalDateTime dropoffDate,
        int passengerCount,
        Double pickupLongitude,
        Double pickupLatitude,
        Double dropoffLongitude,
        Double dropoffLatitude,
        String storeAndFwdFlag,
        Double gcDistance,
        Long tripDuration,
        Long googleDistance,
        Long googleDuration) implements TripResult {

    public Trip {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pickupDate, "pickupDate");
    }
}
