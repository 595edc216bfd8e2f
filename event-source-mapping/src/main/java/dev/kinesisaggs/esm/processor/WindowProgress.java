package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The records of the open tumbling window handled since its last checkpoint: the last of them, where the
 * checkpoint goes once the window's final (or early-termination) invoke is over, and the runs of them that no
 * on-failure record has named yet.
 *
 * <p>Why the runs: when the final invoke is given up, the window's aggregate is lost and the destination must name
 * its records, but a batch of the window that was given up before (retries exhausted, too old, too large) has been
 * reported already. Each record goes to the destination once, so the window's failure records cover what is left:
 * one record per run between the batches already reported.
 */
final class WindowProgress {

    /** A run of consecutive handled records, in shard order. */
    record Run(StreamRecord first, StreamRecord last, int count) {}

    private final List<Run> unreported = new ArrayList<>();
    private boolean unsaved;
    private boolean lastWasReported = true;
    private StreamRecord lastHandled;

    /** Records handled and not reported (in shard order, after those given before). */
    void handled(List<StreamRecord> records) {
        add(records, false);
    }

    /** Records given up and named in an on-failure record already. */
    void reported(List<StreamRecord> records) {
        add(records, true);
    }

    private void add(List<StreamRecord> records, boolean reported) {
        if (records.isEmpty()) {
            return;
        }
        unsaved = true;
        lastHandled = records.get(records.size() - 1);
        if (!reported) {
            if (!lastWasReported) {
                Run run = unreported.remove(unreported.size() - 1);
                unreported.add(new Run(run.first(), lastHandled, run.count() + records.size()));
            } else {
                unreported.add(new Run(records.get(0), lastHandled, records.size()));
            }
        }
        lastWasReported = reported;
    }

    /** True when records were handled since the last checkpoint. */
    boolean unsaved() {
        return unsaved;
    }

    /** The last record handled in the window, saved or not. */
    Optional<StreamRecord> lastHandled() {
        return Optional.ofNullable(lastHandled);
    }

    /** The runs of records since the last checkpoint that no on-failure record has named. */
    List<Run> unreported() {
        return List.copyOf(unreported);
    }

    /** The records so far are checkpointed: the window goes on from here. */
    void saved() {
        unsaved = false;
        unreported.clear();
        lastWasReported = true;
    }
}
