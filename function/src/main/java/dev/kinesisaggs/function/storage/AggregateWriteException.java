package dev.kinesisaggs.function.storage;

/** An aggregate could not be written in the time the invocation had; Lambda will retry it. */
public final class AggregateWriteException extends RuntimeException {
    public AggregateWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
