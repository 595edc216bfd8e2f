package dev.kinesisaggs.function.batch;

/**
 * Nothing of the batch could be stored (or a window-ending invocation could not store all of it):
 * thrown so that Lambda retries the same payload with the same state.
 */
public final class BatchWriteFailedException extends RuntimeException {
    public BatchWriteFailedException(String message) {
        super(message);
    }
}
