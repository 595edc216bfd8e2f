package dev.kinesisaggs.esm.processor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records given up: named in one on-failure record per run (spec §5.6), sent to the destination, counted, and, as far
 * as checkpoints go, handled, so that the shard moves on past them (spec §5.2).
 */
final class Discards {

    private static final Logger LOG = LoggerFactory.getLogger(Discards.class);

    private final MappingParts parts;
    private final String shardId;
    private final ShardCheckpoints checkpoints;
    private final ShardCounters counters;

    Discards(MappingParts parts, String shardId, ShardCheckpoints checkpoints, ShardCounters counters) {
        this.parts = parts;
        this.shardId = shardId;
        this.checkpoints = checkpoints;
        this.counters = counters;
    }

    /** Gives up {@code records}, a run in shard order, and checkpoints past them. */
    void giveUp(List<StreamRecord> records, String condition, int invokeCount, Optional<Optional<String>> functionError,
                String requestId) {
        report(records.get(0), records.get(records.size() - 1), records.size(), condition, invokeCount, functionError, requestId);
        checkpoints.reported(records);
    }

    /**
     * Sends the on-failure record of a run of {@code count} records from {@code first} to {@code last}. An empty
     * {@code functionError} leaves out the response context (what expired never reached the function).
     */
    void report(StreamRecord first, StreamRecord last, int count, String condition, int invokeCount,
                Optional<Optional<String>> functionError, String requestId) {
        counters.discarded(count);
        ObjectNode record = FailureRecords.of(requestId, parts.config().functionArn(), condition, invokeCount, functionError,
                parts.clock().instant(), parts.source().streamArn(), first, last, count);
        LOG.atWarn().log(() -> shardId + " discarding " + count + " records " + first.sequenceNumber() + ".." + last.sequenceNumber()
                + " (" + condition + ")" + (parts.destination().isNone() ? " with no on-failure destination: they are lost, as on AWS"
                        : " to " + parts.destination().describe()));
        try {
            parts.destination().deliver(record);
        } catch (RuntimeException e) {
            // AWS counts this as DestinationDeliveryFailures and drops the records; so do we, loudly, in one line (the
            // records' range is in the line above)
            LOG.error(shardId + " could not deliver the failure record of these " + count + " records to "
                    + parts.destination().describe() + ", so they are dropped, as AWS drops them (DestinationDeliveryFailures): "
                    + e.getMessage());
        }
    }
}
