package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Outcome;
import dev.kinesisaggs.esm.processor.InvocationListener.Invocation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FunctionFailuresTest {

    private static Invocation on(String shard, InvocationResult result) {
        return new Invocation(shard, Instant.EPOCH, "{}", result, new Outcome.Failed("Unhandled", "test"));
    }

    @Test
    void eachShardSaysEachKindOfFailureOnceWithItsReasonWrittenOutForTheTerminal() {
        StringWriter out = new StringWriter();
        FunctionFailures failures = new FunctionFailures(new PrintWriter(out), "(f.log)");
        InvocationResult exit = new InvocationResult.Threw("r1", Duration.ofSeconds(1), "Runtime.ExitError",
                "RequestId: r1 Error: Runtime exited with error: exit status 1\u001b[2J");

        failures.invoked(on("shardId-000000000000", exit));
        failures.invoked(on("shardId-000000000000", exit)); // the retry: not again
        failures.invoked(on("shardId-000000000001", exit));
        failures.invoked(on("shardId-000000000000", new InvocationResult.TimedOut("r2", Duration.ofSeconds(60))));
        failures.invoked(new Invocation("shardId-000000000000", Instant.EPOCH, "{}", new InvocationResult.Returned("r3", Duration.ZERO, "{}"),
                new Outcome.Succeeded(Optional.empty())));

        assertThat(out.toString().lines()).containsExactly(
                "shardId-000000000000: the function failed with Runtime.ExitError: RequestId: r1 Error: Runtime exited with error:"
                        + " exit status 1\\u001B[2J (said once per shard and kind; its log (f.log) has the rest, the mapping retries as"
                        + " AWS's does).",
                "shardId-000000000001: the function failed with Runtime.ExitError: RequestId: r1 Error: Runtime exited with error:"
                        + " exit status 1\\u001B[2J (said once per shard and kind; its log (f.log) has the rest, the mapping retries as"
                        + " AWS's does).",
                "shardId-000000000000: the function failed with its timeout (said once per shard and kind; its log (f.log) has the rest,"
                        + " the mapping retries as AWS's does).");
    }
}
