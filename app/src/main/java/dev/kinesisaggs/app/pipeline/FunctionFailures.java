package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.app.TerminalText;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.processor.InvocationListener;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says on a command's output, once per shard and kind of failure, that the function failed and why: the status lines
 * say only AWS's "PROBLEM: Function call failed", and the reason was in the function's log alone (found by a probe: an
 * OutOfMemoryError the user was never told of while the mapping retried). Once, since with the lab's unlimited retries
 * the same failure comes back at every retry.
 */
public final class FunctionFailures implements InvocationListener {

    private final PrintWriter out;
    private final String whereTheLogIs;
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    /** @param whereTheLogIs where the function's own output goes, for the sentence ("in FILE", "above") */
    public FunctionFailures(PrintWriter out, String whereTheLogIs) {
        this.out = Objects.requireNonNull(out, "out");
        this.whereTheLogIs = Objects.requireNonNull(whereTheLogIs, "whereTheLogIs");
    }

    @Override
    public void invoked(Invocation invocation) {
        String kind;
        String why;
        if (invocation.result() instanceof InvocationResult.Threw t) {
            kind = t.errorType() == null ? "an error" : t.errorType();
            why = t.errorMessage() == null ? "" : ": " + TerminalText.printable(t.errorMessage(), 300);
        } else if (invocation.result() instanceof InvocationResult.TimedOut) {
            kind = "its timeout";
            why = "";
        } else {
            return; // an answer (with or without items that failed) or a throttle: the status lines say enough
        }
        if (said.add(invocation.shardId() + " " + kind)) {
            out.println(invocation.shardId() + ": the function failed with " + TerminalText.printable(kind, 100) + why
                    + " (said once per shard and kind; its log " + whereTheLogIs + " has the rest, the mapping retries as AWS's does).");
            out.flush();
        }
    }
}
