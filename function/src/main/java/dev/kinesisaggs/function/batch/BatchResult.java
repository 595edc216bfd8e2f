package dev.kinesisaggs.function.batch;

import java.util.Map;

/**
 * What to answer Lambda, and what happened (for the log line and the metrics).
 *
 * @param state the window state to return (never null: without it Lambda fails the invocation)
 * @param stats counts of this invocation
 */
public record BatchResult(Map<String, String> state, InvocationStats stats) {
    public BatchResult {
        state = Map.copyOf(state);
    }
}
