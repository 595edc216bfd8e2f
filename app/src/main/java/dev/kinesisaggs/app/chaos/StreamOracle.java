package dev.kinesisaggs.app.chaos;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * What a chaos run must end with, computed without any of the pipeline's code: every shard read back from
 * {@code TRIM_HORIZON} with plain GetRecords, deaggregated with the KCL's {@code AggregatorUtil}, each clean trip read
 * with Jackson's tree (numbers as decimals), each trip id counted at its first occurrence in its shard, grouped by
 * vendor and arrival-time window ({@code floor(arrival / W) * W}, as AWS aligns tumbling windows). The bad user
 * records are known by their partition keys ({@link ChaosTraffic}) and counted by the reason {@link BadInput} gives
 * their kind.
 */
final class StreamOracle {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A vendor's sums in a window: passengers, trips, distance in micro-miles (each trip rounded), seconds. */
    record Sums(long passengers, long trips, long distanceMicros, long durationSeconds) {
        Sums plus(Sums o) {
            return new Sums(passengers + o.passengers, trips + o.trips, distanceMicros + o.distanceMicros,
                    durationSeconds + o.durationSeconds);
        }
    }

    record Key(String windowStart, long vendorId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = windowStart.compareTo(o.windowStart);
            return c != 0 ? c : Long.compare(vendorId, o.vendorId);
        }
    }

    /**
     * @param sums            per window and vendor
     * @param cleanTrips      each clean trip, by id, as its counted occurrence wrote it
     * @param reasons         user records to be quarantined, per reason (duplicates included)
     * @param rejected        per window start, the user records to be quarantined (what the window says it left out)
     * @param badRecords      Kinesis records holding anything to quarantine: one quarantine item each
     * @param lastSequence    per shard, its last record
     */
    record Expected(Map<Key, Sums> sums, Map<String, CleanTrip> cleanTrips, Map<String, Long> reasons, Map<Instant, Long> rejected, int badRecords,
                    Map<String, String> lastSequence, int userRecords) {
    }

    /** A clean trip as the stream holds it (Jackson's tree, numbers as decimals) and the occurrence that counts it. */
    record CleanTrip(JsonNode json, String occurrence) {
    }

    private StreamOracle() {
    }

    /** One user record as read back: where it is, its window, and its trip (null) or the reason to quarantine it. */
    private record UserRecord(int kinesisRecord, String occurrence, String window, JsonNode trip, String reason) {
    }

    /**
     * What the tables must hold. A trip put more than once counts once, in the window of its first occurrence on the
     * stream; when the mapping gave batches up, in the window of the occurrence that claimed it in the trips table
     * ({@code claims}: trip id to {@code shardId:sequenceNumber:subSequenceNumber}), which must be one of its
     * occurrences: the first one's batch may have been given up, and a later one counted before the redrive.
     *
     * @param claims the trips table's claims, or empty to hold every trip to its first occurrence
     */
    static Expected read(KinesisClient kinesis, String stream, int windowSeconds, List<BadInput.Kind> kinds,
                         Optional<Map<String, String>> claims) {
        AggregatorUtil kcl = new AggregatorUtil();
        List<UserRecord> read = new ArrayList<>();
        Map<String, String> last = new HashMap<>();
        int kinesisRecords = 0;
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(1000));
                for (Record record : page.records()) {
                    last.put(shard.shardId(), record.sequenceNumber());
                    long w = windowSeconds * 1000L;
                    String window = Instant.ofEpochMilli(Math.floorDiv(record.approximateArrivalTimestamp().toEpochMilli(), w) * w).toString();
                    for (KinesisClientRecord user : kcl.deaggregate(new ArrayList<>(List.of(KinesisClientRecord.fromRecord(record))))) {
                        String occurrence = shard.shardId() + ":" + record.sequenceNumber() + ":" + user.subSequenceNumber();
                        String reason = reasonOf(user.partitionKey(), kinds);
                        JsonNode trip = null;
                        if (reason == null) {
                            byte[] data = new byte[user.data().remaining()];
                            user.data().duplicate().get(data);
                            trip = tree(data);
                        }
                        read.add(new UserRecord(kinesisRecords, occurrence, window, trip, reason));
                    }
                    kinesisRecords++;
                }
                iterator = page.nextShardIterator();
                if (page.records().isEmpty()) {
                    break;
                }
            }
        }

        Map<String, List<String>> occurrences = new HashMap<>();
        read.stream().filter(u -> u.trip() != null)
                .forEach(u -> occurrences.computeIfAbsent(u.trip().get("id").asText(), id -> new ArrayList<>()).add(u.occurrence()));
        Map<Key, Sums> sums = new TreeMap<>();
        Map<String, Long> reasons = new TreeMap<>();
        Map<Instant, Long> rejected = new TreeMap<>();
        Set<Integer> badRecords = new HashSet<>();
        Map<String, CleanTrip> cleanTrips = new HashMap<>();
        for (UserRecord u : read) {
            String reason = u.reason();
            if (reason == null) {
                String id = u.trip().get("id").asText();
                List<String> all = occurrences.get(id);
                String counted = claims.map(c -> c.get(id)).filter(all::contains).orElse(all.get(0));
                if (u.occurrence().equals(counted)) {
                    cleanTrips.put(id, new CleanTrip(u.trip(), counted));
                    sums.merge(new Key(u.window(), u.trip().get("vendorId").asLong()), sums(u.trip()), Sums::plus);
                } else {
                    reason = "DUPLICATE_TRIP";
                }
            }
            if (reason != null) {
                reasons.merge(reason, 1L, Long::sum);
                rejected.merge(Instant.parse(u.window()), 1L, Long::sum);
                badRecords.add(u.kinesisRecord());
            }
        }
        return new Expected(sums, cleanTrips, reasons, rejected, badRecords.size(), last, read.size());
    }

    /** The reason a user record must be quarantined for, by its partition key; null for a clean trip. */
    private static String reasonOf(String partitionKey, List<BadInput.Kind> kinds) {
        switch (partitionKey) {
            case ChaosTraffic.BROKEN_AGGREGATE_KEY:
                return "BAD_AGGREGATE";
            case ChaosTraffic.GARBAGE_KEY:
                return "NOT_UTF8";
            case ChaosTraffic.EMPTIES_KEY:
                return "MALFORMED_JSON";
            default:
                if (partitionKey.startsWith(ChaosTraffic.BAD_PREFIX)) {
                    String kind = partitionKey.substring(ChaosTraffic.BAD_PREFIX.length(), partitionKey.lastIndexOf('-'));
                    return kinds.get(Integer.parseInt(kind)).reason();
                }
                return null;
        }
    }

    private static Sums sums(JsonNode trip) {
        BigDecimal distance = trip.get("gcDistance").decimalValue();
        return new Sums(trip.get("passengerCount").asLong(), 1,
                distance.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact(),
                trip.get("tripDuration").asLong());
    }

    private static JsonNode tree(byte[] data) {
        try {
            return JSON.readTree(data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a clean trip of the chaos traffic is not JSON: " + e.getMessage(), e);
        }
    }
}
