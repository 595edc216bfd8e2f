package dev.kinesisaggs.esm.metrics;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of one shard's processing, for logs and the dashboard.
 *
 * @param phase              WAITING_FOR_PARENTS, PROCESSING, RETRYING or ENDED
 * @param windowStart        the open tumbling window, if any
 * @param recordsIn          records read from the shard
 * @param invocations        function invocations, retries included
 * @param failedInvocations  invocations that failed in whole or in part
 * @param recordsDiscarded   records sent to the on-failure destination (or dropped without one)
 * @param windowsClosed      final invokes that succeeded
 * @param iteratorAgeMillis  Lambda's IteratorAge: at the last invoke, how old its last record was
 * @param millisBehindLatest how far the last read was behind the tip of the shard
 * @param lastCheckpoint     the last checkpoint saved, or {@code SHARD_END}
 * @param lastProcessingResult {@code OK}, {@code PROBLEM: Function call failed}, or {@code No records processed}
 */
public record ShardStatus(
        String shardId,
        String phase,
        Optional<Instant> windowStart,
        Optional<Instant> windowEnd,
        long recordsIn,
        long invocations,
        long failedInvocations,
        long recordsDiscarded,
        long windowsClosed,
        long iteratorAgeMillis,
        long millisBehindLatest,
        Optional<String> lastCheckpoint,
        String lastProcessingResult) {

    /** One log line. */
    public String toLogLine() {
        return shardId + " " + phase
                + windowStart.map(s -> " window=[" + s + "," + windowEnd.map(Instant::toString).orElse("?") + ")").orElse(" window=-")
                + " recordsIn=" + recordsIn + " invocations=" + invocations + " failures=" + failedInvocations
                + " discarded=" + recordsDiscarded + " windowsClosed=" + windowsClosed
                + " iteratorAgeMs=" + iteratorAgeMillis + " behindMs=" + millisBehindLatest
                + " checkpoint=" + lastCheckpoint.orElse("-") + " result=\"" + lastProcessingResult + "\"";
    }
}
