package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The on-failure destination: receives one record (spec §5.6) per discarded batch. */
public interface FailureDestination extends AutoCloseable {

    void deliver(ObjectNode failureRecord);

    /**
     * Told of each invocation, with the event exactly as sent, before its batch is retried or given up: for a destination
     * that keeps the event with the failure record (S3). The others ignore it.
     */
    default void invoked(String shardId, String requestId, String eventJson) {
    }

    /** A short description for logs, e.g. the file or the queue. */
    String describe();

    /** Whether there is no destination: records given up are then lost, as on AWS. */
    default boolean isNone() {
        return false;
    }

    @Override
    default void close() {
    }

    /** No destination: discarded records are only logged, as on AWS where they are then lost. */
    static FailureDestination none() {
        return new FailureDestination() {
            @Override
            public void deliver(ObjectNode failureRecord) {
            }

            @Override
            public String describe() {
                return "none";
            }

            @Override
            public boolean isNone() {
                return true;
            }
        };
    }
}
