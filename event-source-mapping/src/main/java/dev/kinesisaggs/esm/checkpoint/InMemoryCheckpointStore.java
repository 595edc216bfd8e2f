package dev.kinesisaggs.esm.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints in memory; also remembers every save in order, so tests can assert the history. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    /** One save, as it happened. */
    public record Saved(String mappingId, String shardId, Checkpoint checkpoint) {}

    private final Map<String, Checkpoint> latest = new ConcurrentHashMap<>();
    private final List<Saved> history = new ArrayList<>();

    @Override
    public Optional<Checkpoint> load(String mappingId, String shardId) {
        return Optional.ofNullable(latest.get(mappingId + "/" + shardId));
    }

    @Override
    public void save(String mappingId, String shardId, Checkpoint checkpoint) {
        latest.put(mappingId + "/" + shardId, checkpoint);
        synchronized (history) {
            history.add(new Saved(mappingId, shardId, checkpoint));
        }
    }

    public List<Saved> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }
}
