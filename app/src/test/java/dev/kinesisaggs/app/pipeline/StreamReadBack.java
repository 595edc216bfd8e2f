package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.function.testing.AggregateTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The expected result, computed without any of the pipeline's code: every shard read from TRIM_HORIZON with plain
 * {@code GetRecords}, deaggregated with the KCL's {@code AggregatorUtil}, each trip's JSON read with Jackson's
 * streaming parser, and the trips grouped by vendor and arrival-time window
 * ({@code floor(approximateArrivalTimestamp / W) * W}), as AWS aligns tumbling windows.
 */
public final class StreamReadBack {
    private static final JsonFactory JSON = new JsonFactory();
    private static final BigDecimal HALF_A_MICRO_MILE = new BigDecimal("0.0000005");

    record WindowKey(long vendorId, Instant windowStart) {
    }

    /** A vendor's sums in a window; the distance exact, as the decimal numbers on the stream add up. */
    record Sums(long passengers, long trips, BigDecimal distanceMiles, long durationSeconds) {
        Sums plus(Sums other) {
            return new Sums(passengers + other.passengers, trips + other.trips, distanceMiles.add(other.distanceMiles),
                    durationSeconds + other.durationSeconds);
        }
    }

    /** One trip as read back; an absent distance or duration is 0, as the aggregates count it. */
    public record ReadTrip(String id, long vendorId, long passengers, BigDecimal gcDistance, long tripDuration, boolean hasGoogleFields,
            Instant arrival) {
        Sums sums() {
            return new Sums(passengers, 1, gcDistance, tripDuration);
        }
    }

    /**
     * What was read: the trips (in shard, then sequence order), the last sequence number of each shard, and the user
     * records that are not JSON objects.
     */
    public record Contents(List<ReadTrip> trips, Map<String, String> lastSequenceNumbers, int kinesisRecords, int notObjects) {

        Map<WindowKey, Sums> sumsByVendorAndWindow(Duration window) {
            Map<WindowKey, Sums> sums = new HashMap<>();
            long w = window.toMillis();
            for (ReadTrip t : trips) {
                Instant start = Instant.ofEpochMilli(Math.floorDiv(t.arrival().toEpochMilli(), w) * w);
                sums.merge(new WindowKey(t.vendorId(), start), t.sums(), Sums::plus);
            }
            return sums;
        }
    }

    /**
     * The aggregates as the command line reads them (one complete run per shard and window) hold every sum of every
     * vendor and window: passengers, trips and seconds exactly; the distance to within the rounding the aggregates
     * document (each trip's distance to the nearest micro-mile, so at most half a micro-mile a trip).
     */
    static void assertSameSums(AggregateTable table, Map<WindowKey, Sums> expected) {
        Map<WindowKey, VendorTotals> found = new HashMap<>();
        table.windows().forEach((start, byVendor) -> byVendor.forEach((vendor, t) ->
                found.put(new WindowKey(vendor, Instant.parse(start)), t)));
        assertThat(found.keySet()).as("vendor-windows").isEqualTo(expected.keySet());
        expected.forEach((key, sums) -> {
            VendorTotals t = found.get(key);
            assertThat(List.of(t.passengers(), t.trips(), t.tripDurationSeconds())).as("passengers, trips, seconds of %s", key)
                    .isEqualTo(List.of(sums.passengers(), sums.trips(), sums.durationSeconds()));
            BigDecimal stored = BigDecimal.valueOf(t.gcDistanceMicros()).movePointLeft(6);
            BigDecimal rounding = BigDecimal.valueOf(sums.trips()).multiply(HALF_A_MICRO_MILE);
            assertThat(stored.subtract(sums.distanceMiles()).abs()).as("distance of %s: %s miles stored, %s on the stream", key,
                    stored, sums.distanceMiles()).isLessThanOrEqualTo(rounding);
        });
    }

    public static Contents read(KinesisClient kinesis, String stream) {
        AggregatorUtil kcl = new AggregatorUtil();
        List<ReadTrip> trips = new ArrayList<>();
        Map<String, String> last = new HashMap<>();
        int records = 0;
        int notObjects = 0;
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                for (Record record : page.records()) {
                    records++;
                    last.put(shard.shardId(), record.sequenceNumber());
                    List<KinesisClientRecord> users = kcl.deaggregate(new ArrayList<>(List.of(KinesisClientRecord.fromRecord(record))));
                    for (KinesisClientRecord user : users) {
                        byte[] data = new byte[user.data().remaining()];
                        user.data().duplicate().get(data);
                        ReadTrip trip = trip(data, record.approximateArrivalTimestamp());
                        if (trip == null) {
                            notObjects++;
                        } else {
                            trips.add(trip);
                        }
                    }
                }
                iterator = page.nextShardIterator();
                if (page.records().isEmpty()) {
                    break;
                }
            }
        }
        return new Contents(trips, last, records, notObjects);
    }

    /** The trip's fields, or null when the record is not a JSON object. */
    private static ReadTrip trip(byte[] json, Instant arrival) {
        String id = null;
        long vendor = -1;
        long passengers = -1;
        BigDecimal gcDistance = BigDecimal.ZERO;
        long tripDuration = 0;
        boolean googleDistance = false;
        boolean googleDuration = false;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "id" -> id = p.getText();
                    case "vendorId" -> vendor = p.getLongValue();
                    case "passengerCount" -> passengers = p.getLongValue();
                    case "gcDistance" -> gcDistance = value == JsonToken.VALUE_NULL ? BigDecimal.ZERO : p.getDecimalValue();
                    case "tripDuration" -> tripDuration = value == JsonToken.VALUE_NULL ? 0 : p.getLongValue();
                    case "googleDistance" -> googleDistance = value != JsonToken.VALUE_NULL;
                    case "googleDuration" -> googleDuration = value != JsonToken.VALUE_NULL;
                    default -> p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ReadTrip(id, vendor, passengers, gcDistance, tripDuration, googleDistance && googleDuration, arrival);
    }
}
