package dev.kinesisaggs.esm.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints in memory; also remembers every save in order, so tests can assert the history. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    /** One save, as it happened. */
    public record Saved(MappingIdentity mapping, String shardId, Checkpoint checkpoint) {}

    private final Map<String, Saved> latest = new ConcurrentHashMap<>();
    private final List<Saved> history = new ArrayList<>();

    @Override
    public Optional<Checkpoint> load(MappingIdentity mapping, String shardId) {
        Saved saved = latest.get(mapping.uuid() + "/" + shardId);
        if (saved == null) {
            return Optional.empty();
        }
        mapping.requireOwnStream(saved.mapping().streamArn(), shardId);
        return Optional.of(saved.checkpoint());
    }

    @Override
    public void save(MappingIdentity mapping, String shardId, Checkpoint checkpoint) {
        Saved saved = new Saved(mapping, shardId, checkpoint);
        latest.put(mapping.uuid() + "/" + shardId, saved);
        synchronized (history) {
            history.add(saved);
        }
    }

    public List<Saved> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }
}
