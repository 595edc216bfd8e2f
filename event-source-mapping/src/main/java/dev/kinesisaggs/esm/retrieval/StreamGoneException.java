package dev.kinesisaggs.esm.retrieval;

/**
 * The mapping's stream no longer exists (deleted while the mapping ran): nothing is left to read, so the mapping stops
 * and says so, instead of retrying its shards for ever.
 */
public final class StreamGoneException extends IllegalStateException {
    public StreamGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
