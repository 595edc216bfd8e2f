package dev.kinesisaggs.app.dashboard;

import java.util.List;

/**
 * The dashboard's view of an event source mapping: one {@link ShardLag} per shard, read at each poll.
 * The composition root adapts the local mapping's status to it; the dashboard has no other tie to it.
 */
@FunctionalInterface
public interface LagSource {

    /** For a dashboard with no mapping attached (e.g. reading a table on AWS): no shards. */
    LagSource NONE = List::of;

    /** A snapshot; called from the dashboard's HTTP threads, so it must be safe to call concurrently. */
    List<ShardLag> shards();
}
