package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import java.time.Duration;
import java.util.regex.Pattern;

/** The two changes a producer makes to a trip it re-sends: a new id, and dates moved in time. */
final class TripRewrites {

    private static final Pattern WORKSHOP_ID = Pattern.compile("id\\d{7}");

    private TripRewrites() {
    }

    /**
     * The id of a trip in lap {@code lap} (0 for the first pass, which keeps the original id).
     * A workshop id {@code id} + 7 digits gets the lap number before its digits ({@code id0190469} lap 3 is
     * {@code id30190469}): still the workshop's style, and unique, since every original has exactly 7 digits.
     * Any other id gets a suffix ({@code abc} lap 3 is {@code abc-3}).
     */
    static String lapId(String id, long lap) {
        if (lap == 0) {
            return id;
        }
        if (WORKSHOP_ID.matcher(id).matches()) {
            return "id" + lap + id.substring(2);
        }
        return id + "-" + lap;
    }

    static Trip rewrite(Trip t, String id, Duration shift) {
        return new Trip(id, t.vendorId(), t.pickupDate().plus(shift),
                t.dropoffDate() == null ? null : t.dropoffDate().plus(shift), t.passengerCount(),
                t.pickupLongitude(), t.pickupLatitude(), t.dropoffLongitude(), t.dropoffLatitude(), t.storeAndFwdFlag(),
                t.gcDistance(), t.tripDuration(), t.googleDistance(), t.googleDuration());
    }
}
