package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.CheckpointStore;
import dev.kinesisaggs.esm.checkpoint.MappingIdentity;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shard's checkpoint: what is handled and what is saved. Handled records are checkpointed at once without a window
 * (across lanes, at the end of the longest run of handled records, spec §1.3); in a tumbling window they wait for
 * the window's final (or early-termination) invoke (spec §4). Records dropped by FilterCriteria are checkpointed past
 * once everything read before them is handled ({@link FilteredTail}). A save the store refuses is kept and retried.
 */
final class ShardCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(ShardCheckpoints.class);

    /** A read record's place in the shard's order, for checkpointing across lanes. */
    private static final class Tracked {
        final String sequenceNumber;
        boolean done;

        Tracked(String sequenceNumber) {
            this.sequenceNumber = sequenceNumber;
        }
    }

    private final CheckpointStore store;
    private final MappingIdentity identity;
    private final String shardId;
    /** With lanes, records finish out of the shard's order: the read order says how far all are handled. */
    private final boolean acrossLanes;
    private final Deque<Tracked> readOrder = new ArrayDeque<>();
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final FilteredTail filteredTail = new FilteredTail();
    /** The open window's handled records, or null while no window is open. */
    private WindowProgress window;
    private Checkpoint lastSaved;
    /**
     * A checkpoint the store refused (network, throttling): saved again before anything else happens. Volatile: the
     * mapping's thread reads it once the shard's thread has stopped, or was abandoned at the join timeout.
     */
    private volatile Checkpoint unsaved;

    ShardCheckpoints(CheckpointStore store, MappingIdentity identity, String shardId, boolean acrossLanes) {
        this.store = store;
        this.identity = identity;
        this.shardId = shardId;
        this.acrossLanes = acrossLanes;
    }

    /** The shard's saved checkpoint, if any; saves from here on only move forward from it. */
    Optional<Checkpoint> load() {
        Optional<Checkpoint> saved = store.load(identity, shardId);
        lastSaved = saved.orElse(null);
        return saved;
    }

    /** The last checkpoint saved past a record, or {@code SHARD_END}; empty while only a start position is saved. */
    Optional<String> lastSaved() {
        return Optional.ofNullable(lastSaved).filter(Checkpoint::processed).map(Checkpoint::stored);
    }

    /**
     * Saves where a shard without a checkpoint starts, before anything is read (see {@link Checkpoint#startsAt}), so
     * that a mapping stopped before its first checkpoint resumes there instead of at a new LATEST.
     */
    void saveStart(ShardPosition start) {
        save(Checkpoint.startsAt(start));
    }

    /**
     * While only a start at a timestamp is saved: the first record read replaces it, so that a restart begins at that
     * very record rather than a clock margin before it. Once per shard.
     */
    void startAtFirstRead(String sequenceNumber) {
        if (lastSaved != null && lastSaved.start() instanceof ShardPosition.AtTimestamp) {
            save(Checkpoint.startsAt(ShardPosition.atSequenceNumber(sequenceNumber)));
        }
    }

    // ---------------------------------------------------------------- what is read

    /** A record read and kept for the function. */
    void read(StreamRecord r) {
        filteredTail.kept();
        if (acrossLanes) {
            Tracked t = new Tracked(r.sequenceNumber());
            readOrder.add(t);
            tracked.put(r.sequenceNumber(), t);
        }
    }

    /** A record FilterCriteria dropped. */
    void dropped(StreamRecord r) {
        filteredTail.dropped(r);
    }

    boolean hasFilteredTail() {
        return !filteredTail.isEmpty();
    }

    /** Everything read before the dropped records is handled: moves the checkpoint past them. */
    void saveFilteredTail() {
        save(Checkpoint.at(filteredTail.take().orElseThrow()));
    }

    // ---------------------------------------------------------------- what is handled

    /** Records the function handled. Without windows they are checkpointed now; in a window, when it closes. */
    void handled(List<StreamRecord> records) {
        handled(records, false);
    }

    /** Records given up and already sent to the destination: handled as far as checkpoints go. */
    void reported(List<StreamRecord> records) {
        handled(records, true);
    }

    private void handled(List<StreamRecord> records, boolean reported) {
        if (records.isEmpty()) {
            return;
        }
        if (window != null) {
            if (reported) {
                window.reported(records);
            } else {
                window.handled(records);
            }
            return;
        }
        if (acrossLanes) {
            saveLongestHandledRun(records);
            return;
        }
        save(Checkpoint.at(records.get(records.size() - 1).sequenceNumber()));
    }

    /** Across lanes, the checkpoint is the end of the longest run of handled records from the last checkpoint (spec §1.3). */
    private void saveLongestHandledRun(List<StreamRecord> records) {
        for (StreamRecord r : records) {
            Tracked t = tracked.get(r.sequenceNumber());
            if (t != null) {
                t.done = true;
            }
        }
        Tracked last = null;
        while (!readOrder.isEmpty() && readOrder.peek().done) {
            last = readOrder.poll();
            tracked.remove(last.sequenceNumber);
        }
        if (last != null) {
            save(Checkpoint.at(last.sequenceNumber));
        }
    }

    // ---------------------------------------------------------------- the open window's records

    void windowOpened() {
        window = new WindowProgress();
    }

    /** The open window's handled records; only while a window is open. */
    WindowProgress windowProgress() {
        return window;
    }

    /** Checkpoints the window's handled records: only after a final (or early-termination) invoke has succeeded or been given up. */
    void saveWindowProgress() {
        if (window.unsaved()) {
            save(Checkpoint.at(window.lastHandled().orElseThrow().sequenceNumber()));
            window.saved();
        }
    }

    /** The window is over: its handled records are checkpointed, and records handled from now on are checkpointed at once. */
    void windowClosed() {
        saveWindowProgress();
        window = null;
    }

    // ---------------------------------------------------------------- what is saved

    void saveShardEnd() {
        save(Checkpoint.shardEnd());
    }

    boolean hasUnsaved() {
        return unsaved != null;
    }

    /** Tries again to save the checkpoint the store refused; true when it is saved now. */
    boolean saveUnsaved() {
        Checkpoint c = unsaved;
        unsaved = null;
        save(c);
        return unsaved == null;
    }

    private void save(Checkpoint c) {
        // only forward: never a record's checkpoint again or back, never a start position over a record's
        if (lastSaved != null && lastSaved.processed() && !lastSaved.shardEnded() && !c.shardEnded()
                && (!c.processed() || c.sequence().compareTo(lastSaved.sequence()) <= 0)) {
            return;
        }
        try {
            store.save(identity, shardId, c);
        } catch (RuntimeException e) {
            // Keep the processor's state consistent (the records are handled); only the save is retried.
            RetriedFailure.warn(LOG, shardId + " could not save checkpoint " + c.stored() + "; retrying in 1 s", e);
            unsaved = c;
            return;
        }
        lastSaved = c;
        LOG.atDebug().log(() -> shardId + " checkpoint " + c.stored());
    }
}
