package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Outcome;

import java.time.Instant;

/** Told of every invocation, with the event exactly as delivered; the test driver records them. */
@FunctionalInterface
public interface InvocationListener {

    /** One invocation: the shard, the event JSON, what the function did and how the mapping read it. */
    record Invocation(String shardId, Instant at, String eventJson, InvocationResult result, Outcome outcome) {}

    void invoked(Invocation invocation);

    static InvocationListener none() {
        return i -> { };
    }
}
