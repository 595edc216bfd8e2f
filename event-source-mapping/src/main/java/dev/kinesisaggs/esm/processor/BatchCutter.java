package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.FinalInvokeRecords;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a lane's read records into what goes next (spec §2): a batch once it is full (BatchSize), would pass the 6 MB
 * payload with one more record, reaches the end of its tumbling window, or its batching window is over; before that,
 * the records already past MaximumRecordAge (spec §5.3), and a record too large to send alone.
 */
final class BatchCutter {

    /** What leaves the lane's read records. */
    sealed interface Cut {
        /** The oldest records, past their maximum age: to the destination without invoking. */
        record Expired(List<StreamRecord> records) implements Cut {}

        /** One record whose event alone is over the payload limit: to the destination only. */
        record TooLarge(StreamRecord record) implements Cut {}

        /**
         * A batch for the function, in {@code window} (null without windows); its {@code lastChunk} of the window
         * goes as the final invoke when the config asks for it ({@link FinalInvokeRecords#LAST_CHUNK}).
         */
        record Batch(List<StreamRecord> records, TimeWindow window, boolean lastChunk) implements Cut {}
    }

    private final EventSourceMappingConfig config;
    private final EventJson json;
    private final String shardId;
    private final ShardWindow window;
    private final RecordAge age;

    BatchCutter(EventSourceMappingConfig config, EventJson json, String shardId, ShardWindow window, RecordAge age) {
        this.config = config;
        this.json = json;
        this.shardId = shardId;
        this.window = window;
        this.age = age;
    }

    /** Takes what goes next off the lane's read records, or nothing while a batch is not ready yet. */
    Optional<Cut> cut(Lane lane, Instant now, boolean readerEnded) {
        if (lane.pending.isEmpty()) {
            return Optional.empty();
        }
        List<StreamRecord> expired = takeExpiredPrefix(lane, now);
        if (!expired.isEmpty()) {
            return Optional.of(new Cut.Expired(expired));
        }
        TimeWindow batchWindow = window.of(lane.pending.peek().record());
        int bytes = batchWindow == null
                ? json.standardEnvelopeBytes()
                : json.windowEnvelopeBytes(batchWindow, window.stateFor(batchWindow), shardId, false, false);
        List<StreamRecord> batch = new ArrayList<>();
        boolean cutBySize = false;
        boolean cutByWindow = false;
        for (Lane.Pending p : lane.pending) {
            if (batchWindow != null && !batchWindow.equals(window.of(p.record()))) {
                cutByWindow = true;
                break;
            }
            if (batch.size() == config.batchSize()) {
                break;
            }
            int more = p.bytes() + (batch.isEmpty() ? 0 : 1);
            if (bytes + more > config.maxPayloadBytes()) {
                if (batch.isEmpty()) {
                    lane.pending.poll();
                    return Optional.of(new Cut.TooLarge(p.record()));
                }
                cutBySize = true;
                break;
            }
            batch.add(p.record());
            bytes += more;
        }
        boolean full = batch.size() == config.batchSize() || cutBySize;
        boolean ready = full || cutByWindow || readerEnded || !now.isBefore(batchingDeadline(lane));
        if (!ready) {
            return Optional.empty();
        }
        for (int i = 0; i < batch.size(); i++) {
            lane.pending.poll();
        }
        boolean lastChunk = cutByWindow && config.finalInvokeRecords() == FinalInvokeRecords.LAST_CHUNK;
        return Optional.of(new Cut.Batch(batch, batchWindow, lastChunk));
    }

    /** When the lane's batching window is over: MaximumBatchingWindowInSeconds after it began. */
    Instant batchingDeadline(Lane lane) {
        return lane.batchingWindowStart.plusSeconds(config.maximumBatchingWindowInSeconds());
    }

    /** The records at the head of the lane that are past their age, all of one window; taken off the lane. */
    private List<StreamRecord> takeExpiredPrefix(Lane lane, Instant now) {
        List<StreamRecord> expired = new ArrayList<>();
        if (!age.discards()) {
            return expired;
        }
        TimeWindow first = window.of(lane.pending.peek().record());
        Iterator<Lane.Pending> it = lane.pending.iterator();
        while (it.hasNext()) {
            StreamRecord r = it.next().record();
            if (!age.expired(r, now) || (first != null && !first.equals(window.of(r)))) {
                break;
            }
            expired.add(r);
            it.remove();
        }
        return expired;
    }
}
