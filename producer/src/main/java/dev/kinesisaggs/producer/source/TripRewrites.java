package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import dev.kinesisaggs.core.trip.TripRules;
import java.time.Duration;
import java.time.LocalDateTime;
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

    /**
     * The trip with a new id and its dates moved; a bad row (not sent) when a date would leave the years a trip may have
     * (0000-9999): the function would only quarantine it, and the producer says so instead.
     */
    static SourceItem rewrite(SourceItem.GoodTrip good, String id, Duration shift, String why) {
        Trip t = good.trip();
        LocalDateTime pickup = t.pickupDate().plus(shift);
        LocalDateTime dropoff = t.dropoffDate() == null ? null : t.dropoffDate().plus(shift);
        for (LocalDateTime moved : new LocalDateTime[] {pickup, dropoff}) {
            if (moved != null && !TripRules.hasTripYear(moved)) {
                return new SourceItem.BadRow(good.lineNumber(), TripJson.toJson(t), "trip " + t.id() + "'s dates, moved "
                        + why + ", would be in the year " + moved.getYear() + ", out of 0000-" + TripRules.MAX_YEAR);
            }
        }
        return new SourceItem.GoodTrip(new Trip(id, t.vendorId(), pickup, dropoff, t.passengerCount(),
                t.pickupLongitude(), t.pickupLatitude(), t.dropoffLongitude(), t.dropoffLatitude(), t.storeAndFwdFlag(),
                t.gcDistance(), t.tripDuration(), t.googleDistance(), t.googleDuration()), good.lineNumber());
    }
}
