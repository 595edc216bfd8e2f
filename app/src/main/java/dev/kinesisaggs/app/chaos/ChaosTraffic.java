package dev.kinesisaggs.app.chaos;

import dev.kinesisaggs.core.kpl.AddResult;
import dev.kinesisaggs.core.kpl.Aggregator;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.kpl.SingleRecordMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * A chaos run's producer: clean trips and every kind of {@link BadInput} in a seeded order, KPL-aggregated (each
 * user record's partition key says what it is: the trip id, or {@code bad-<kind>-<n>}), a few whole Kinesis records
 * that are bad as a whole, and a producer's retries: some of the Kinesis records put a second time, later, as a
 * producer that never got the answer of its first put does. Spread over a few seconds, so over several windows.
 */
final class ChaosTraffic {

    /** What was sent, for the report. */
    record Sent(int cleanTrips, int badKinds, int kinesisRecords, int repeatedRecords) {
    }

    static final String BAD_PREFIX = "bad-";
    static final String BROKEN_AGGREGATE_KEY = "bad-record-broken-aggregate";
    static final String GARBAGE_KEY = "bad-record-megabyte-of-garbage";
    static final String EMPTIES_KEY = "bad-record-ten-thousand-empty";

    private ChaosTraffic() {
    }

    static String cleanTrip(String id, int vendorId, int passengers, String distance, long duration) {
        return "{\"id\":\"" + id + "\",\"vendorId\":" + vendorId + ",\"pickupDate\":\"2016-01-01T00:00:00\","
                + "\"dropoffDate\":\"2016-01-01T00:14:00\",\"passengerCount\":" + passengers + ","
                + "\"pickupLongitude\":-73.98174,\"pickupLatitude\":40.71916,\"dropoffLongitude\":-73.93883,"
                + "\"dropoffLatitude\":40.82918,\"storeAndFwdFlag\":\"N\",\"gcDistance\":" + distance + ",\"tripDuration\":"
                + duration + ",\"googleDistance\":15309,\"googleDuration\":1109}";
    }

    static Sent send(KinesisClient kinesis, String stream, long seed, int trips, Random random, Runnable betweenChunks) {
        record User(String key, byte[] data) {
        }
        List<User> users = new ArrayList<>();
        for (int i = 0; i < trips; i++) {
            String id = "c" + seed + "-" + i;
            String distance = (random.nextInt(20_000) / 1000.0) + "";
            users.add(new User(id, cleanTrip(id, 1 + random.nextInt(3), random.nextInt(7), distance, 60 + random.nextInt(3600))
                    .getBytes(StandardCharsets.UTF_8)));
        }
        List<BadInput.Kind> kinds = BadInput.kinds("b" + seed + "-");
        for (int k = 0; k < kinds.size(); k++) {
            int copies = 1 + random.nextInt(2);
            for (int c = 0; c < copies; c++) {
                users.add(new User(BAD_PREFIX + k + "-" + c, kinds.get(k).data()));
            }
        }
        Collections.shuffle(users, random);

        List<PutRecordEntry> entries = new ArrayList<>();
        Aggregator aggregator = new Aggregator(Aggregator.DEFAULT_MAX_AGGREGATE_BYTES, SingleRecordMode.AGGREGATED);
        for (User u : users) {
            AddResult added = aggregator.add(u.key(), null, u.data());
            if (!(added instanceof AddResult.Accepted accepted)) {
                throw new IllegalStateException("the chaos traffic has a user record the aggregator refuses: " + added);
            }
            entries.addAll(accepted.completed());
            if (random.nextInt(12) == 0) {
                aggregator.flush().ifPresent(entries::add); // small aggregates too
            }
        }
        aggregator.flush().ifPresent(entries::add);
        // whole Kinesis records that are bad as a whole
        Aggregator empties = new Aggregator(1 << 20, SingleRecordMode.AGGREGATED);
        for (int i = 0; i < 10_000; i++) {
            empties.add(EMPTIES_KEY, null, new byte[0]);
        }
        entries.add(random.nextInt(entries.size()), empties.flush().orElseThrow());
        byte[] broken = entries.stream().filter(PutRecordEntry::aggregated).findFirst().orElseThrow().data().clone();
        broken[broken.length - 1] ^= 0x55;
        entries.add(random.nextInt(entries.size()), new PutRecordEntry(BROKEN_AGGREGATE_KEY, null, broken, 1, false));
        byte[] garbage = new byte[1024 * 1000];
        Arrays.fill(garbage, (byte) 0xFF);
        entries.add(random.nextInt(entries.size()), new PutRecordEntry(GARBAGE_KEY, null, garbage, 1, false));

        // the producer's retries: about one Kinesis record in twelve again, after the others
        List<PutRecordEntry> again = new ArrayList<>();
        for (PutRecordEntry e : entries) {
            if (e.aggregated() && e.data().length < 100_000 && random.nextInt(12) == 0) {
                again.add(e);
            }
        }
        List<PutRecordEntry> all = new ArrayList<>(entries);
        all.addAll(again);
        int chunk = Math.max(1, all.size() / 8);
        for (int from = 0; from < all.size(); from += chunk) {
            put(kinesis, stream, all.subList(from, Math.min(all.size(), from + chunk)));
            betweenChunks.run();
        }
        return new Sent(trips, kinds.size(), all.size(), again.size());
    }

    /** Puts the entries one request each (a megabyte record would not share a 5 MB request), retrying what fails. */
    private static void put(KinesisClient kinesis, String stream, List<PutRecordEntry> entries) {
        for (PutRecordEntry e : entries) {
            PutRecordsRequestEntry entry = PutRecordsRequestEntry.builder().partitionKey(e.partitionKey())
                    .explicitHashKey(e.explicitHashKey()).data(SdkBytes.fromByteArray(e.data())).build();
            for (int attempt = 0; ; attempt++) {
                try {
                    PutRecordsResponse r = kinesis.putRecords(b -> b.streamName(stream).records(entry));
                    if (r.failedRecordCount() == null || r.failedRecordCount() == 0) {
                        break;
                    }
                } catch (RuntimeException failed) {
                    if (attempt >= 20) {
                        throw failed;
                    }
                }
                sleep(200);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
