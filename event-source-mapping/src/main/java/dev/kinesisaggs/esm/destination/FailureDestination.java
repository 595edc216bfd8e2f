package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The on-failure destination: receives one record (spec §5.6) per discarded batch. */
public interface FailureDestination extends AutoCloseable {

    void deliver(ObjectNode failureRecord);

    /** A short description for logs, e.g. the file or the queue. */
    String describe();

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
        };
    }
}
