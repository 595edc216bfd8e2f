package dev.kinesisaggs.function.storage;

/**
 * Something the invocation had to store could not be stored before its time ran out (throttling, a
 * DynamoDB that does not answer): the invocation fails as a whole, so that Lambda retries it with the
 * state it had before. That reading of a failure is the one AWS documents for every configuration;
 * a partial batch response inside a window would depend on how Lambda combines it with the returned
 * state, which it does not document (see the README).
 */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
