package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.retrieval.ReadResult;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import dev.kinesisaggs.esm.retrieval.ShardReader;
import dev.kinesisaggs.esm.retrieval.StreamSource;

import java.time.Duration;
import java.time.Instant;

/**
 * Reading the shard (spec §1.1): once a second, at once again while there is a backlog, up to BatchSize records a
 * read; and what the last read said about the tip of the shard, which a tumbling window's idle close waits for.
 */
final class ShardPoller {

    /** GetRecords' own maximum. */
    private static final int MAX_GET_RECORDS_LIMIT = 10_000;

    private final StreamSource source;
    private final String shardId;
    private final int limit;
    private final Duration pollInterval;
    private ShardReader reader;
    private boolean ended;
    private Instant nextPollAt;
    /** When the last read that reached the tip of the shard began; null while the reader is behind. */
    private Instant caughtUpAt;

    ShardPoller(StreamSource source, String shardId, int batchSize, Duration pollInterval) {
        this.source = source;
        this.shardId = shardId;
        this.limit = Math.min(batchSize, MAX_GET_RECORDS_LIMIT);
        this.pollInterval = pollInterval;
    }

    void open(ShardPosition position, Instant now) {
        reader = source.openReader(shardId, position);
        nextPollAt = now;
    }

    /** True once a read has returned the shard's end: there is nothing more to read. */
    boolean ended() {
        return ended;
    }

    /** When the next read is due, if the lanes have room for what it returns. */
    Instant nextPollAt() {
        return nextPollAt;
    }

    Instant caughtUpAt() {
        return caughtUpAt;
    }

    /** Reads the next records; a throttled read returns none, and says nothing of the tip. */
    ReadResult read(Instant now) {
        ReadResult read = reader.read(limit);
        if (read.throttled()) {
            // Nothing is known about the tip: neither caught up nor behind changes; try again at the next poll.
            nextPollAt = now.plus(pollInterval);
            return read;
        }
        if (read.shardEnded()) {
            ended = true;
        }
        // Poll once a second per shard; while there is a backlog, keep reading at once (spec §1.1).
        boolean backlog = read.records().size() >= limit || read.millisBehindLatest() > 0;
        nextPollAt = backlog ? now : now.plus(pollInterval);
        caughtUpAt = backlog ? null : now;
        return read;
    }

    /** Releases the reader. */
    void close() {
        if (reader != null) {
            reader.close();
        }
    }

    static String describe(ShardPosition p) {
        if (p instanceof ShardPosition.AfterSequenceNumber a) {
            return "checkpoint " + a.sequenceNumber();
        }
        if (p instanceof ShardPosition.AtSequenceNumber a) {
            return "AT_SEQUENCE_NUMBER " + a.sequenceNumber() + " (where it started before, nothing processed yet)";
        }
        if (p instanceof ShardPosition.AtTimestamp t) {
            return "AT_TIMESTAMP " + t.timestamp();
        }
        return p instanceof ShardPosition.Latest ? "LATEST" : "TRIM_HORIZON";
    }
}
