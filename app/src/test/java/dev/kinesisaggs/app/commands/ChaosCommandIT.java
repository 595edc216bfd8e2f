package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kinesis-aggs chaos} as a user runs it, for a seed of fewer trips with the lab's unlimited retries: the packaged
 * function under the runtime client, every fault of the run, and the tables equal to what the stream read back says
 * (see {@code ChaosRun}). {@link ChaosGivingUpIT} runs the seed whose retries are limited, in a class of its own so
 * that the two seeds can run in the suite's two JVMs side by side.
 */
class ChaosCommandIT {

    @Test
    void aSeedWithUnlimitedRetriesPasses() {
        assertThat(chaos(101)).containsPattern("[1-9] execution environments? killed");
    }

    /**
     * Runs {@code chaos} for one seed, as the user types it, checks that it passed through the faults every seed goes
     * through, and gives what it printed.
     */
    static String chaos(long seed) {
        StringWriter out = new StringWriter();
        CommandLine cli = KinesisAggs.commandLine(() -> { }, Clock.systemUTC());
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));

        int exit = cli.execute("chaos", "--seed", Long.toString(seed), "--runs", "1", "--trips", "120");

        assertThat(exit).as("exit code; output:%n%s", out).isZero();
        assertThat(out.toString()).contains("seed " + seed + ": PASS", "1 of 1 seeds passed.")
                .contains("The mapping under test logs its warnings on lines marked 'seed N: mapping under chaos |': most follow from the"
                        + " faults injected")
                .contains("mapping stopped and started", "mapping killed (kill -9) and started", "emulators restarted");
        return out.toString();
    }
}
