package dev.kinesisaggs.core.trip;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link Trip} as the workshop producer's JSON, in its field order, e.g.
 * {@code {"id":"id0190469","vendorId":2,"pickupDate":"2016-01-01T00:00:00",...,"googleDuration":1109}}.
 *
 * <p>Absent optional fields are omitted; dates are written {@code yyyy-MM-ddTHH:mm:ss} (with a fraction
 * only when there is one). {@link TripParser} reads back an equal trip. Thread-safe.
 */
public final class TripJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private TripJson() {
    }

    /** The JSON as UTF-8 bytes, numbers as JSON numbers. */
    public static byte[] toBytes(Trip trip) {
        return write(trip, false);
    }

    /**
     * The JSON as UTF-8 bytes with every value as a string ({@code "vendorId":"2"}), as one of the workshop's
     * producers writes it; the parser accepts both forms.
     */
    public static byte[] toBytesAllStrings(Trip trip) {
        return write(trip, true);
    }

    /** The JSON as a String, numbers as JSON numbers. */
    public static String toJson(Trip trip) {
        return new String(toBytes(trip), StandardCharsets.UTF_8);
    }

    private static byte[] write(Trip t, boolean allStrings) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(400)) {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                Fields f = new Fields(g, allStrings);
                g.writeStartObject();
                g.writeStringField("id", t.id());
                f.integer("vendorId", t.vendorId());
                g.writeStringField("pickupDate", TripDates.format(t.pickupDate()));
                if (t.dropoffDate() != null) {
                    g.writeStringField("dropoffDate", TripDates.format(t.dropoffDate()));
                }
                f.integer("passengerCount", t.passengerCount());
                f.decimal("pickupLongitude", t.pickupLongitude());
                f.decimal("pickupLatitude", t.pickupLatitude());
                f.decimal("dropoffLongitude", t.dropoffLongitude());
                f.decimal("dropoffLatitude", t.dropoffLatitude());
                if (t.storeAndFwdFlag() != null) {
                    g.writeStringField("storeAndFwdFlag", t.storeAndFwdFlag());
                }
                f.decimal("gcDistance", t.gcDistance());
                f.integer("tripDuration", t.tripDuration());
                f.integer("googleDistance", t.googleDistance());
                f.integer("googleDuration", t.googleDuration());
                g.writeEndObject();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
    }

    private record Fields(JsonGenerator g, boolean allStrings) {
        void integer(String name, Long value) throws IOException {
            if (value != null) {
                integer(name, value.longValue());
            }
        }

        void integer(String name, long value) throws IOException {
            g.writeFieldName(name);
            if (allStrings) {
                g.writeString(Long.toString(value));
            } else {
                g.writeNumber(value);
            }
        }

        void decimal(String name, Double value) throws IOException {
            if (value == null) {
                return;
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " is " + value
                        + ": JSON has no such number, and no clean trip holds one");
            }
            g.writeFieldName(name);
            if (allStrings) {
                g.writeString(Double.toString(value));
            } else {
                g.writeNumber(value.doubleValue());
            }
        }
    }
}
