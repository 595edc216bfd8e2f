package dev.kinesisaggs.esm.retrieval;

import java.time.Instant;

/** Where to begin reading a shard (a Kinesis shard iterator type). */
public sealed interface ShardPosition {
    record TrimHorizon() implements ShardPosition {}
    record Latest() implements ShardPosition {}
    record AtTimestamp(Instant timestamp) implements ShardPosition {}
    record AfterSequenceNumber(String sequenceNumber) implements ShardPosition {}

    static ShardPosition trimHorizon() { return new TrimHorizon(); }
    static ShardPosition latest() { return new Latest(); }
    static ShardPosition atTimestamp(Instant t) { return new AtTimestamp(t); }
    static ShardPosition after(String sequenceNumber) { return new AfterSequenceNumber(sequenceNumber); }
}
