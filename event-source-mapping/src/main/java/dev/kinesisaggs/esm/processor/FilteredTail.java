package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.util.Optional;

/**
 * The records FilterCriteria dropped that no checkpoint covers yet. A dropped record followed by a delivered one
 * needs nothing: checkpointing the delivered one moves past it. Only the dropped records read after the last
 * delivered one (the tail) must be checkpointed on their own, and only once everything read before them is handled,
 * since "once your filter criteria processes a Kinesis record, the streams iterator advances past this record"
 * (Lambda Developer Guide, "Lambda event filtering", "Properly filtering Kinesis and DynamoDB messages").
 */
final class FilteredTail {

    private String lastDropped;

    void dropped(StreamRecord r) {
        lastDropped = r.sequenceNumber();
    }

    /** A record was kept after the dropped ones: its checkpoint will cover them. */
    void kept() {
        lastDropped = null;
    }

    /** The sequence number to checkpoint once the shard has nothing else outstanding, and forgets it. */
    Optional<String> take() {
        Optional<String> tail = Optional.ofNullable(lastDropped);
        lastDropped = null;
        return tail;
    }

    boolean isEmpty() {
        return lastDropped == null;
    }
}
