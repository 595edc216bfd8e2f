package dev.kinesisaggs.esm.invocation;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** How the mapping reads one invocation's result (spec §3.3, §5.5). */
public sealed interface Outcome {

    /** The whole batch succeeded; {@code state} is the returned window state, if any. */
    record Succeeded(Optional<JsonNode> state) implements Outcome {}

    /**
     * Records before {@code fromSequenceNumber} succeeded; it and everything after it must be retried.
     * The returned state is kept (spec §4, ReportBatchItemFailures row).
     */
    record PartiallyFailed(String fromSequenceNumber, Optional<JsonNode> state) implements Outcome {}

    /**
     * The whole batch failed. {@code functionError} is {@code "Unhandled"} when the function threw
     * or timed out, and null when it returned a response that counts as a failure.
     */
    record Failed(String functionError, String reason) implements Outcome {}

    /** The invocation was throttled and never reached the function: retried without consuming MaximumRetryAttempts (spec §5.2). */
    record Throttled() implements Outcome {}
}
