package dev.kinesisaggs.esm.coordinator;

import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.processor.MappingParts;
import dev.kinesisaggs.esm.processor.ShardProcessor;
import dev.kinesisaggs.esm.retrieval.ShardInfo;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which shards to process and from where, following their lineage (spec §1.4): a
 * parent is read to SHARD_END and checkpointed before its children start, at TRIM_HORIZON (at
 * the timestamp with AT_TIMESTAMP); a merged shard waits for both parents. Shards without
 * parents in the stream start at the configured starting position. With LATEST, shards already
 * closed when the mapping first looks at the stream are skipped and their open descendants start
 * at LATEST, as KCL does.
 *
 * <p>Its methods are synchronized: the runner discovers from one thread while the dashboard reads statuses.
 */
public final class ShardCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(ShardCoordinator.class);

    private final MappingParts parts;
    private final Map<String, ShardProcessor> processors = new LinkedHashMap<>();
    private final Set<String> skippedAtStart = new HashSet<>();
    private final Set<String> waiting = new HashSet<>();
    private boolean firstLook = true;

    public ShardCoordinator(MappingParts parts) {
        this.parts = parts;
    }

    /** Lists the shards and creates processors for those that may start now; returns the new ones. */
    public synchronized List<ShardProcessor> discover() {
        List<ShardInfo> shards = parts.source().listShards();
        Set<String> present = new HashSet<>();
        shards.forEach(s -> present.add(s.shardId()));
        boolean latest = parts.config().startingPosition() == StartingPosition.LATEST;
        if (firstLook) {
            firstLook = false;
            if (latest) {
                for (ShardInfo s : shards) {
                    if (s.closed() && parts.checkpoints().load(parts.identity(), s.shardId()).isEmpty()) {
                        skippedAtStart.add(s.shardId());
                    }
                }
            }
        }
        List<ShardProcessor> started = new ArrayList<>();
        // A parent whose checkpoint says SHARD_END is found finished at its first step; its children start at the next look.
        {
            for (ShardInfo s : shards) {
                if (processors.containsKey(s.shardId()) || skippedAtStart.contains(s.shardId())) {
                    continue;
                }
                List<String> parents = parentsIn(s, present);
                boolean parentsDone = parents.stream().allMatch(this::isDone);
                if (!parentsDone) {
                    if (waiting.add(s.shardId())) {
                        LOG.atInfo().log(() -> s.shardId() + " waits for its parent(s) " + parents + " to reach SHARD_END");
                    }
                    continue;
                }
                waiting.remove(s.shardId());
                boolean root = parents.stream().allMatch(skippedAtStart::contains);
                ShardPosition position = root ? configuredPosition() : childPosition();
                ShardProcessor p = new ShardProcessor(parts, s.shardId(), position);
                processors.put(s.shardId(), p);
                started.add(p);
            }
        }
        return started;
    }

    private boolean isDone(String shardId) {
        if (skippedAtStart.contains(shardId)) {
            return true;
        }
        ShardProcessor p = processors.get(shardId);
        return p != null && p.finished();
    }

    private static List<String> parentsIn(ShardInfo s, Set<String> present) {
        List<String> parents = new ArrayList<>();
        s.parentShardId().filter(present::contains).ifPresent(parents::add);
        s.adjacentParentShardId().filter(present::contains).ifPresent(parents::add);
        return parents;
    }

    private ShardPosition configuredPosition() {
        return switch (parts.config().startingPosition()) {
            case LATEST -> ShardPosition.latest();
            case TRIM_HORIZON -> ShardPosition.trimHorizon();
            case AT_TIMESTAMP -> ShardPosition.atTimestamp(parts.config().startingPositionTimestamp().orElseThrow());
        };
    }

    /**
     * Where a child starts once its parents are done: where they left off, which is its first record, except
     * with AT_TIMESTAMP, where a child may hold records older than the timestamp (a split before the timestamp).
     * Those are skipped as in the parents, as KCL does (its ShardSyncer gives the descendants of AT_TIMESTAMP
     * leases an AT_TIMESTAMP checkpoint); an AT_TIMESTAMP iterator of a shard whose records are all newer is
     * its TRIM_HORIZON.
     */
    private ShardPosition childPosition() {
        return parts.config().startingPosition() == StartingPosition.AT_TIMESTAMP ? configuredPosition() : ShardPosition.trimHorizon();
    }

    /** True when some shard is waiting for its parents to finish. */
    public synchronized boolean hasWaitingShards() {
        return !waiting.isEmpty();
    }

    public synchronized List<ShardProcessor> processors() {
        return List.copyOf(processors.values());
    }

    public synchronized Optional<ShardProcessor> processor(String shardId) {
        return Optional.ofNullable(processors.get(shardId));
    }

    public synchronized List<ShardStatus> statuses() {
        List<ShardStatus> out = new ArrayList<>();
        processors.values().forEach(p -> out.add(p.status()));
        return out;
    }
}
