package dev.kinesisaggs.app.dashboard;

import java.util.Objects;
import java.util.Optional;

/**
 * What the dashboard shows of one shard of the event source mapping.
 *
 * @param shardId           the Kinesis shard id
 * @param iteratorAgeMillis how far the mapping is behind the newest record of the shard
 * @param recordsIn         records read from the shard so far
 * @param invocations       handler invocations so far
 * @param failures          failed invocations so far
 * @param currentWindow     the tumbling window being folded, e.g. "2016-01-01T00:00:30Z/2016-01-01T00:01:00Z"
 * @param lastCheckpoint    the sequence number of the last checkpoint, as a decimal string
 */
public record ShardLag(
        String shardId,
        long iteratorAgeMillis,
        long recordsIn,
        long invocations,
        long failures,
        Optional<String> currentWindow,
        Optional<String> lastCheckpoint) {

    public ShardLag {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(currentWindow, "currentWindow");
        Objects.requireNonNull(lastCheckpoint, "lastCheckpoint");
    }
}
