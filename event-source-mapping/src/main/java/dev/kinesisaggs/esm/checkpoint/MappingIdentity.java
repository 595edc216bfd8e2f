package dev.kinesisaggs.esm.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Which mapping a checkpoint belongs to. AWS gives each event source mapping a UUID of its own, so that two
 * mappings never share their position in a stream; ours is derived, the same on every start, from the mapping's
 * name, its stream and its function: two mappings on different streams with the same shard ids, or two functions on
 * one stream, get different identities even under one name, and renaming a mapping still starts it afresh.
 */
public record MappingIdentity(String name, String streamArn, String functionArn) {

    public MappingIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(streamArn, "streamArn");
        Objects.requireNonNull(functionArn, "functionArn");
    }

    /** The key of this mapping's checkpoints, as AWS's mapping UUID is: a name-based (version 3) UUID. */
    public String uuid() {
        return UUID.nameUUIDFromBytes((name + "\n" + streamArn + "\n" + functionArn).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Refuses a stored checkpoint written for another stream: it says nothing about this one. */
    public void requireOwnStream(String storedStreamArn, String shardId) {
        if (storedStreamArn != null && !storedStreamArn.equals(streamArn)) {
            throw new ForeignCheckpointException("The checkpoint of " + shardId + " under mapping " + uuid() + " (" + name
                    + ") belongs to stream " + storedStreamArn + ", not " + streamArn
                    + ": the checkpoint table holds another mapping's entry there; remove it, or give this mapping a table of its own.");
        }
    }

    @Override
    public String toString() {
        return name + " (" + uuid() + ")";
    }
}
