package dev.kinesisaggs.esm.checkpoint;

/**
 * The right of one running instance of a mapping to read its shards and save its checkpoints, held until closed. AWS runs
 * each event source mapping once; two local instances of one mapping (a second {@code consume} started by mistake) would
 * each deliver every record, and a function that is not idempotent would count each twice.
 */
public interface MappingLease extends AutoCloseable {

    /** For a store that lives in one process: there is no other instance to keep out. */
    MappingLease NONE = () -> { };

    /**
     * Whether this instance may still act as the mapping's one instance (save checkpoints): false once the lease is lost,
     * or not renewed for so long that another instance may be about to take it.
     */
    default boolean held() {
        return true;
    }

    /** Gives the lease up, so that another instance may start at once. */
    @Override
    void close();
}
