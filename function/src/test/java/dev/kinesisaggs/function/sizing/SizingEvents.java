package dev.kinesisaggs.function.sizing;

import dev.kinesisaggs.core.kpl.AddResult;
import dev.kinesisaggs.core.kpl.Aggregator;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The largest events Lambda can deliver to the function, as JSON. */
public final class SizingEvents {

    /** Lambda's limit for a synchronous invocation's payload (the event JSON): 6 MB. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:05Z");

    private SizingEvents() {
    }

    /**
     * KPL aggregates of 51,200 bytes (as the producer makes them), as many as fit in a 6 MB
     * payload once base64-encoded (the data of a 6 MB batch is about 4.5 MB: base64 adds a third).
     */
    public static String largestAggregated(String shardId) {
        Aggregator aggregator = new Aggregator();
        List<WindowEvents.Rec> records = new ArrayList<>();
        String fitting = json(shardId, records);
        int trip = 0;
        while (true) {
            PutRecordEntry aggregate = null;
            while (aggregate == null) {
                String id = "k" + trip;
                AddResult added = aggregator.add(id, null, TripRecords.trip(id, 1 + trip % 2, 1 + trip % 6));
                trip++;
                if (added instanceof AddResult.Accepted accepted && !accepted.completed().isEmpty()) {
                    aggregate = accepted.completed().get(0);
                }
            }
            records.add(new WindowEvents.Rec(WindowEvents.seq("7", records.size()), aggregate.partitionKey(), ARRIVAL, aggregate.data()));
            String candidate = json(shardId, records);
            if (candidate.length() > MAX_PAYLOAD_BYTES) {
                return fitting;
            }
            fitting = candidate;
        }
    }

    /** {@code count} plain (non-aggregated) trip records: a full batch at the template's batch size. */
    public static String plain(String shardId, int count) {
        List<WindowEvents.Rec> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new WindowEvents.Rec(WindowEvents.seq("7", i), "p" + i, ARRIVAL, TripRecords.trip("p" + i, 1 + i % 2, 1 + i % 6)));
        }
        return json(shardId, records);
    }

    private static String json(String shardId, List<WindowEvents.Rec> records) {
        return WindowEvents.json(shardId, "2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z", Map.of(), false, false, records);
    }
}
