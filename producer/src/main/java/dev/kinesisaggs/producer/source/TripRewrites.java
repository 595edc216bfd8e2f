package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import dev.kinesisaggs.core.trip.TripRules;
import java.time.Duration;
import java.time.LocalDateTime;

/** The two changes a producer makes to a trip it re-sends: a new id, and dates moved in time. */
final class TripRewrites {

    private TripRewrites() {
    }

    /**
     * The trip with a new id and its dates moved; a bad row (not sent) when the new id is longer than a trip id may be,
     * or a date would leave the years a trip may have (0000-9999): the function would only quarantine it, and the
     * producer says so instead.
     */
    static SourceItem rewrite(SourceItem.GoodTrip good, String id, Duration shift, String why) {
        Trip t = good.trip();
        if (!id.equals(t.id()) && TripRules.isTooLongAnId(id)) {
            return new SourceItem.BadRow(good.lineNumber(), TripJson.toJson(t), "trip " + t.id() + "'s id, made fresh " + why
                    + ", would have " + id.codePointCount(0, id.length()) + " characters, more than the " + TripRules.MAX_ID_LENGTH
                    + " a Kinesis partition key allows");
        }
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
