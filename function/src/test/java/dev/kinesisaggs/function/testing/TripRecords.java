package dev.kinesisaggs.function.testing;

import dev.kinesisaggs.core.kpl.AddResult;
import dev.kinesisaggs.core.kpl.Aggregator;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.kpl.SingleRecordMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trip records as the workshop producer writes them, plain or KPL-aggregated, and the unclean kinds. */
public final class TripRecords {

    private TripRecords() {
    }

    public static String json(String id, int vendorId, int passengers) {
        return "{\"id\":\"" + id + "\",\"vendorId\":" + vendorId + ",\"pickupDate\":\"2016-01-01T00:00:00\","
                + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":" + passengers + ","
                + "\"pickupLongitude\":-73.98174,\"pickupLatitude\":40.71916,\"dropoffLongitude\":-73.93883,"
                + "\"dropoffLatitude\":40.82918,\"storeAndFwdFlag\":\"N\",\"gcDistance\":1.5,\"tripDuration\":100,"
                + "\"googleDistance\":15309,\"googleDuration\":1109}";
    }

    public static byte[] trip(String id, int vendorId, int passengers) {
        return json(id, vendorId, passengers).getBytes(StandardCharsets.UTF_8);
    }

    /** One KPL aggregate holding these user records, each with a partition key of its own. */
    public static byte[] aggregate(List<byte[]> userRecords) {
        return aggregate(userRecords, false);
    }

    /**
     * One KPL aggregate holding these user records; with {@code oneKey}, all under one partition key (the key table
     * then holds one entry, so that as many user records as possible fit in Kinesis' 1 MB).
     */
    public static byte[] aggregate(List<byte[]> userRecords, boolean oneKey) {
        Aggregator aggregator = new Aggregator(1 << 20, SingleRecordMode.AGGREGATED);
        int i = 0;
        for (byte[] r : userRecords) {
            AddResult added = aggregator.add(oneKey ? "pk" : "pk" + i++, null, r);
            if (!(added instanceof AddResult.Accepted accepted) || !accepted.completed().isEmpty()) {
                throw new IllegalStateException("test records must fit in one aggregate: " + added);
            }
        }
        PutRecordEntry entry = aggregator.flush().orElseThrow();
        return entry.data();
    }

    /**
     * Ten kinds of unclean user records, keyed by a name, with the reason each must be rejected for.
     * (A broken KPL aggregate is the eleventh kind; it is built separately as a whole Kinesis record.)
     */
    public static Map<String, Unclean> uncleanKinds() {
        Map<String, Unclean> kinds = new LinkedHashMap<>();
        kinds.put("not json", new Unclean("this is not json".getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        kinds.put("truncated", new Unclean(json("t1", 1, 1).substring(0, 40).getBytes(StandardCharsets.UTF_8), "MALFORMED_JSON"));
        kinds.put("not utf-8", new Unclean(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "NOT_UTF8"));
        kinds.put("array", new Unclean("[1,2,3]".getBytes(StandardCharsets.UTF_8), "NOT_AN_OBJECT"));
        kinds.put("no vendor", new Unclean(json("t2", 1, 1).replace("\"vendorId\":1,", "").getBytes(StandardCharsets.UTF_8), "MISSING_FIELD"));
        kinds.put("no id", new Unclean(json("t3", 1, 1).replace("\"id\":\"t3\",", "").getBytes(StandardCharsets.UTF_8), "MISSING_FIELD"));
        kinds.put("vendor as object", new Unclean(json("t4", 1, 1).replace("\"vendorId\":1", "\"vendorId\":{}").getBytes(StandardCharsets.UTF_8), "WRONG_TYPE"));
        kinds.put("passengers as word", new Unclean(json("t5", 1, 1).replace("\"passengerCount\":1", "\"passengerCount\":\"abc\"").getBytes(StandardCharsets.UTF_8), "WRONG_TYPE"));
        kinds.put("12 passengers", new Unclean(json("t6", 1, 12).getBytes(StandardCharsets.UTF_8), "OUT_OF_RANGE"));
        kinds.put("latitude 123", new Unclean(json("t7", 1, 1).replace("\"pickupLatitude\":40.71916", "\"pickupLatitude\":123.0").getBytes(StandardCharsets.UTF_8), "OUT_OF_RANGE"));
        return kinds;
    }

    /** A KPL aggregate whose MD5 no longer matches. */
    public static byte[] brokenAggregate() {
        byte[] good = aggregate(List.of(trip("b1", 1, 1), trip("b2", 2, 2)));
        good[good.length - 1] ^= 0x55;
        return good;
    }

    public record Unclean(byte[] data, String reason) {
    }

    public static List<byte[]> list(byte[]... records) {
        return new ArrayList<>(List.of(records));
    }
}
