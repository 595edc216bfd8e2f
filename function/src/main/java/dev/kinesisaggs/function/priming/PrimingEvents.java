package dev.kinesisaggs.function.priming;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.models.TimeWindow;
import dev.kinesisaggs.core.kpl.AddResult;
import dev.kinesisaggs.core.kpl.Aggregator;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.kpl.SingleRecordMode;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Synthetic events for priming, built in memory: what the stream carries (trips in the producer's
 * form, plain and in a KPL aggregate, and an unclean record), so that priming runs every step of
 * the hot path; then the window's final invoke, so that the aggregates' requests are built too.
 */
final class PrimingEvents {

    static final String SHARD = "shardId-priming";
    private static final String WINDOW_START = "2020-01-01T00:00:00Z";
    private static final String WINDOW_END = "2020-01-01T00:00:30Z";
    /** Per event: 400 plain trips and 600 in KPL aggregates (about 140 a piece, as the producer packs them). */
    private static final int PLAIN_TRIPS = 400;
    private static final int AGGREGATED_TRIPS = 600;

    private PrimingEvents() {
    }

    static KinesisTimeWindowEvent records(Map<String, String> state) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (int i = 0; i < PLAIN_TRIPS; i++) {
            records.add(record(records.size(), "p" + i, TripJson.toBytes(trip("p" + i, i))));
        }
        Aggregator aggregator = new Aggregator(Aggregator.DEFAULT_MAX_AGGREGATE_BYTES, SingleRecordMode.AGGREGATED);
        List<PutRecordEntry> aggregates = new ArrayList<>();
        for (int i = 0; i < AGGREGATED_TRIPS; i++) {
            if (!(aggregator.add("a" + i, null, TripJson.toBytes(trip("a" + i, i))) instanceof AddResult.Accepted accepted)) {
                throw new IllegalStateException("a priming trip cannot be aggregated");
            }
            aggregates.addAll(accepted.completed());
        }
        aggregator.flush().ifPresent(aggregates::add);
        for (PutRecordEntry aggregate : aggregates) {
            records.add(record(records.size(), aggregate.partitionKey(), aggregate.data()));
        }
        records.add(record(records.size(), "u0", "not a trip".getBytes(StandardCharsets.UTF_8)));
        return event(records, state, false);
    }

    /**
     * The event's JSON as Lambda hands it to the stream handler, one record of one trip: for the JSON reader and writer
     * ({@code WindowEventJson}), which the rehearsal through the in-process handler does not run.
     */
    static byte[] json() {
        String data = Base64.getEncoder().encodeToString(TripJson.toBytes(trip("j0", 0)));
        return ("{\"Records\":[{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"j0\","
                + "\"sequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\",\"data\":\"" + data + "\","
                + "\"approximateArrivalTimestamp\":1607497475.123},\"eventSource\":\"aws:kinesis\","
                + "\"eventID\":\"shardId-000000000000:49590338271490256608559692538361571095921575989136588898\"}],"
                + "\"window\":{\"start\":\"2020-12-09T07:04:00Z\",\"end\":\"2020-12-09T07:04:30Z\"},\"state\":{\"v\":\"2\"},"
                + "\"shardId\":\"shardId-000000000000\",\"isFinalInvokeForWindow\":false,\"isWindowTerminatedEarly\":false}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static KinesisTimeWindowEvent finalInvoke(Map<String, String> state) {
        return event(List.of(), state, true);
    }

    private static Trip trip(String id, int i) {
        LocalDateTime pickup = LocalDateTime.of(2016, 1, 1, 0, i % 60);
        return new Trip(id, 1 + i % 2, pickup, pickup.plusMinutes(14), 1 + i % 6, -73.98174, 40.71916, -73.93883, 40.82918,
                "N", 1.5, 840L, 15309L, 1109L);
    }

    private static KinesisEvent.KinesisEventRecord record(int n, String partitionKey, byte[] data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setSequenceNumber(String.format("49590338271490256608559692538361571095921575989136%06d", n));
        kinesis.setPartitionKey(partitionKey);
        kinesis.setApproximateArrivalTimestamp(new Date(1_577_836_805_000L));
        kinesis.setData(ByteBuffer.wrap(data));
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID(SHARD + ":" + kinesis.getSequenceNumber());
        return record;
    }

    private static KinesisTimeWindowEvent event(List<KinesisEvent.KinesisEventRecord> records, Map<String, String> state,
                                                boolean finalInvoke) {
        KinesisTimeWindowEvent event = new KinesisTimeWindowEvent();
        event.setRecords(records);
        event.setShardId(SHARD);
        event.setWindow(new TimeWindow(WINDOW_START, WINDOW_END));
        event.setState(state);
        event.setIsFinalInvokeForWindow(finalInvoke);
        event.setIsWindowTerminatedEarly(false);
        return event;
    }
}
