package dev.kinesisaggs.esm.retrieval;

import java.time.Duration;
import java.time.Instant;

/** Where to begin reading a shard (a Kinesis shard iterator type). */
public sealed interface ShardPosition {

    /**
     * How far before the moment a LATEST reader started (on the local clock) it starts again when its LATEST cannot be
     * taken anew (an iterator expired before a record was read; a mapping started again before its first checkpoint):
     * the local clock may be ahead of Kinesis' arrival timestamps, and without a margin records that arrived just after
     * the start would be skipped. With it, an error falls on a few records from just before the start being delivered
     * too; 5 s covers a machine whose clock is a few seconds off.
     */
    Duration LATEST_CLOCK_MARGIN = Duration.ofSeconds(5);

    record TrimHorizon() implements ShardPosition {}
    record Latest() implements ShardPosition {}
    record AtTimestamp(Instant timestamp) implements ShardPosition {}
    record AfterSequenceNumber(String sequenceNumber) implements ShardPosition {}
    record AtSequenceNumber(String sequenceNumber) implements ShardPosition {}

    static ShardPosition trimHorizon() { return new TrimHorizon(); }
    static ShardPosition latest() { return new Latest(); }
    static ShardPosition atTimestamp(Instant t) { return new AtTimestamp(t); }
    static ShardPosition after(String sequenceNumber) { return new AfterSequenceNumber(sequenceNumber); }
    static ShardPosition atSequenceNumber(String sequenceNumber) { return new AtSequenceNumber(sequenceNumber); }
}
