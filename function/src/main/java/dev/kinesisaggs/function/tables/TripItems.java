package dev.kinesisaggs.function.tables;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripDates;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A clean trip as an item of the trips table (keyed by trip id); the one owner of its attribute names. */
public final class TripItems {

    private TripItems() {
    }

    /** The trip as a DynamoDB item; absent optional fields are left out. */
    public static Map<String, AttributeValue> item(Trip t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Tables.TRIP_ID, s(t.id()));
        item.put("vendorId", n(t.vendorId()));
        item.put("pickupDate", s(TripDates.format(t.pickupDate())));
        if (t.dropoffDate() != null) {
            item.put("dropoffDate", s(TripDates.format(t.dropoffDate())));
        }
        item.put("passengerCount", n(t.passengerCount()));
        putNumber(item, "pickupLongitude", t.pickupLongitude());
        putNumber(item, "pickupLatitude", t.pickupLatitude());
        putNumber(item, "dropoffLongitude", t.dropoffLongitude());
        putNumber(item, "dropoffLatitude", t.dropoffLatitude());
        if (t.storeAndFwdFlag() != null && !t.storeAndFwdFlag().isEmpty()) {
            item.put("storeAndFwdFlag", s(t.storeAndFwdFlag()));
        }
        putNumber(item, "gcDistance", t.gcDistance());
        putNumber(item, "tripDuration", t.tripDuration());
        putNumber(item, "googleDistance", t.googleDistance());
        putNumber(item, "googleDuration", t.googleDuration());
        return item;
    }

    private static void putNumber(Map<String, AttributeValue> item, String name, Number value) {
        if (value == null) {
            return;
        }
        String text = value instanceof Double d ? BigDecimal.valueOf(d).toPlainString() : value.toString();
        item.put(name, AttributeValue.fromN(text));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
