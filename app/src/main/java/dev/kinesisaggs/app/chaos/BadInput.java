package dev.kinesisaggs.app.chaos;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The hostile user records a chaos run mixes into its traffic: each kind with the reason the quarantine must give it.
 * The reasons are this corpus's labels, written down here, not what our parser answers: a run fails when the two
 * differ.
 */
final class BadInput {

    /** One kind of bad user record. */
    record Kind(String name, byte[] data, String reason) {
        Kind {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private BadInput() {
    }

    /** A clean trip's JSON, for the kinds that break one field of it. */
    static String trip(String id, int vendorId, int passengers) {
        return "{\"id\":\"" + id + "\",\"vendorId\":" + vendorId + ",\"pickupDate\":\"2016-01-01T00:00:00\","
                + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":" + passengers + ","
                + "\"pickupLongitude\":-73.98174,\"pickupLatitude\":40.71916,\"dropoffLongitude\":-73.93883,"
                + "\"dropoffLatitude\":40.82918,\"storeAndFwdFlag\":\"N\",\"gcDistance\":1.5,\"tripDuration\":849,"
                + "\"googleDistance\":15309,\"googleDuration\":1109}";
    }

    /** The kinds, each for a trip id of its own ({@code prefix} + the kind's index). */
    static List<Kind> kinds(String prefix) {
        List<Kind> kinds = new ArrayList<>();
        int[] n = {0};
        java.util.function.Supplier<String> next = () -> trip(prefix + (n[0]++), 1, 1);
        String malformed = "MALFORMED_JSON";
        add(kinds, "not json", "this is not json", malformed);
        add(kinds, "truncated", next.get().substring(0, 40), malformed);
        add(kinds, "trailing comma", next.get().replace("}", ",}"), malformed);
        add(kinds, "single quotes", next.get().replace('"', '\''), malformed);
        add(kinds, "unquoted key", next.get().replace("\"vendorId\"", "vendorId"), malformed);
        add(kinds, "two objects", next.get() + next.get(), malformed);
        add(kinds, "unterminated string", "{\"id\":\"abc", malformed);
        add(kinds, "NaN", next.get().replace("\"gcDistance\":1.5", "\"gcDistance\":NaN"), malformed);
        add(kinds, "empty", "", malformed);
        add(kinds, "blank", "   \n\t ", malformed);
        kinds.add(new Kind("invalid utf-8", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "NOT_UTF8"));
        kinds.add(new Kind("overlong utf-8", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}, "NOT_UTF8"));
        kinds.add(new Kind("utf-16", next.get().getBytes(StandardCharsets.UTF_16), "NOT_UTF8"));
        add(kinds, "array", "[1,2,3]", "NOT_AN_OBJECT");
        add(kinds, "number", "42", "NOT_AN_OBJECT");
        add(kinds, "string", "\"trip\"", "NOT_AN_OBJECT");
        add(kinds, "null", "null", "NOT_AN_OBJECT");
        String missing = "MISSING_FIELD";
        add(kinds, "no id", next.get().replaceFirst("\"id\":\"[^\"]*\",", ""), missing);
        add(kinds, "no vendor", next.get().replace("\"vendorId\":1,", ""), missing);
        add(kinds, "no pickup date", next.get().replace("\"pickupDate\":\"2016-01-01T00:00:00\",", ""), missing);
        add(kinds, "no passengers", next.get().replace("\"passengerCount\":1,", ""), missing);
        add(kinds, "null id", next.get().replaceFirst("\"id\":\"[^\"]*\"", "\"id\":null"), missing);
        add(kinds, "empty object", "{}", missing);
        String type = "WRONG_TYPE";
        add(kinds, "vendor as object", next.get().replace("\"vendorId\":1", "\"vendorId\":{}"), type);
        add(kinds, "passengers as word", next.get().replace("\"passengerCount\":1", "\"passengerCount\":\"abc\""), type);
        add(kinds, "date as number", next.get().replace("\"pickupDate\":\"2016-01-01T00:00:00\"", "\"pickupDate\":20160101"), type);
        add(kinds, "date as word", next.get().replace("\"pickupDate\":\"2016-01-01T00:00:00\"", "\"pickupDate\":\"yesterday\""), type);
        add(kinds, "id as number", next.get().replaceFirst("\"id\":\"[^\"]*\"", "\"id\":12345"), type);
        add(kinds, "fractional vendor", next.get().replace("\"vendorId\":1", "\"vendorId\":1.5"), type);
        add(kinds, "flag as boolean", next.get().replace("\"storeAndFwdFlag\":\"N\"", "\"storeAndFwdFlag\":true"), type);
        add(kinds, "latitude in an array", next.get().replace("\"pickupLatitude\":40.71916", "\"pickupLatitude\":[40.7]"), type);
        String range = "OUT_OF_RANGE";
        add(kinds, "12 passengers", trip(prefix + (n[0]++), 1, 12), range);
        add(kinds, "-1 passengers", trip(prefix + (n[0]++), 1, -1), range);
        add(kinds, "vendor 0", trip(prefix + (n[0]++), 0, 1), range);
        add(kinds, "vendor 2^31", next.get().replace("\"vendorId\":1", "\"vendorId\":2147483648"), range);
        add(kinds, "latitude 123", next.get().replace("\"pickupLatitude\":40.71916", "\"pickupLatitude\":123.0"), range);
        add(kinds, "longitude -181", next.get().replace("\"pickupLongitude\":-73.98174", "\"pickupLongitude\":-181"), range);
        add(kinds, "distance beyond DynamoDB", next.get().replace("\"gcDistance\":1.5", "\"gcDistance\":1e200"), range);
        add(kinds, "latitude below DynamoDB", next.get().replace("\"pickupLatitude\":40.71916", "\"pickupLatitude\":1e-200"), range);
        add(kinds, "DynamoDB's largest number", next.get().replace("\"gcDistance\":1.5",
                "\"gcDistance\":9.9999999999999999999999999999999999999e125"), range);
        add(kinds, "32-day trip", next.get().replace("\"tripDuration\":849", "\"tripDuration\":2678401"), range);
        add(kinds, "road around the Earth and more", next.get().replace("\"googleDistance\":15309", "\"googleDistance\":40075001"), range);
        add(kinds, "257-character id", trip("x".repeat(257), 1, 1), range);
        add(kinds, "lone surrogate in id", trip(prefix + (n[0]++) + "\\ud800", 1, 1), range);
        add(kinds, "dropoff before pickup", next.get().replace("\"dropoffDate\":\"2016-01-01T00:14:00\"",
                "\"dropoffDate\":\"2015-12-31T23:00:00\""), range);
        add(kinds, "flag X", next.get().replace("\"storeAndFwdFlag\":\"N\"", "\"storeAndFwdFlag\":\"X\""), range);
        add(kinds, "negative distance", next.get().replace("\"gcDistance\":1.5", "\"gcDistance\":-0.5"), range);
        return kinds;
    }

    private static void add(List<Kind> kinds, String name, String json, String reason) {
        kinds.add(new Kind(name, json.getBytes(StandardCharsets.UTF_8), reason));
    }
}
