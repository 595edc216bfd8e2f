package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard script that every emulator runs under, on its own: what it does beside the emulator's code. */
class GuardScriptIT {

    @Test
    void aPromiseThatFailsWithNoOneWaitingIsLoggedAndTheProcessGoesOn() throws Exception {
        Path guard = NodeModules.inUserCache().installation().guardScript();
        String script = "setTimeout(() => Promise.reject(new Error('a clean-up failed')), 50);"
                + "setTimeout(() => { console.log('still serving'); process.exit(0); }, 500);";
        Process node = new ProcessBuilder(List.of(NodeRuntime.node(), "--require", guard.toString(), "-e", script))
                .redirectErrorStream(true).start(); // stdin stays open: the guard's lifeline

        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("kinesis-aggs-guard: a promise failed with no one waiting for it (the emulator goes on):"
                + " Error: a clean-up failed").contains("still serving");
    }
}
