package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kinesis-aggs chaos} as a user runs it, for two seeds of fewer trips (101 with the lab's unlimited retries, 102 with
 * two, so that batches may be given up and redriven): the packaged function under the runtime
 * client, every fault of the run, and the tables equal to what the stream read back says (see {@code ChaosRun}).
 * Breaking the function's duplicate rule (counting a trip's second occurrence) fails it.
 */
class ChaosCommandIT {

    @Test
    void twoSeedsPass() {
        StringWriter out = new StringWriter();
        CommandLine cli = KinesisAggs.commandLine(() -> { }, Clock.systemUTC());
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));

        int exit = cli.execute("chaos", "--seed", "101", "--runs", "2", "--trips", "120");

        assertThat(exit).as("exit code; output:%n%s", out).isZero();
        assertThat(out.toString()).contains("seed 101: PASS", "seed 102: PASS", "2 of 2 seeds passed.")
                .contains("mapping stopped and started", "mapping killed (kill -9) and started", "emulators restarted")
                .containsPattern("[1-9] execution environments? killed")
                .containsPattern("seed 102: .*(batches given up and redriven|retries limited to 2, no batch given up)");
    }
}
