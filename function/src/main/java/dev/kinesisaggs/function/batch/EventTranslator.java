package dev.kinesisaggs.function.batch;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Turns Lambda's event into a {@link ShardBatch}; the only place that knows the event classes. */
public final class EventTranslator {

    private EventTranslator() {
    }

    public static ShardBatch toBatch(KinesisTimeWindowEvent event) {
        List<KinesisEvent.KinesisEventRecord> in = event.getRecords() == null ? List.of() : event.getRecords();
        List<KinesisRecordIn> records = new ArrayList<>(in.size());
        for (KinesisEvent.KinesisEventRecord r : in) {
            KinesisEvent.Record k = r.getKinesis();
            Date arrival = k.getApproximateArrivalTimestamp();
            records.add(new KinesisRecordIn(k.getSequenceNumber(), k.getPartitionKey(),
                    arrival == null ? null : Instant.ofEpochMilli(arrival.getTime()), bytes(k.getData())));
        }
        String shardId = event.getShardId();
        if ((shardId == null || shardId.isEmpty()) && !in.isEmpty() && in.get(0).getEventID() != null) {
            shardId = shardOfEventId(in.get(0).getEventID());
        }
        String start = event.getWindow() == null ? null : event.getWindow().getStart();
        String end = event.getWindow() == null ? null : event.getWindow().getEnd();
        return new ShardBatch(shardId == null ? "" : shardId, start, end, event.getState(),
                Boolean.TRUE.equals(event.getIsFinalInvokeForWindow()),
                Boolean.TRUE.equals(event.getIsWindowTerminatedEarly()), records);
    }

    /** The shard of a record's eventID, {@code <shardId>:<sequenceNumber>}: for an event without {@code shardId}. */
    static String shardOfEventId(String eventId) {
        return eventId.substring(0, Math.max(0, eventId.lastIndexOf(':')));
    }

    private static byte[] bytes(ByteBuffer data) {
        if (data == null) {
            return new byte[0];
        }
        ByteBuffer view = data.duplicate();
        if (view.hasArray() && view.arrayOffset() == 0 && view.position() == 0 && view.remaining() == view.array().length) {
            return view.array();
        }
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return copy;
    }
}
