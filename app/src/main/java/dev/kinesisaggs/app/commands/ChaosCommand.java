package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.chaos.ChaosRun;
import dev.kinesisaggs.app.chaos.MappingProcess;
import dev.kinesisaggs.app.pipeline.EngineLog;
import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kinesis-aggs chaos}: the whole pipeline under seeded faults, checked against an independent oracle. See
 * {@link ChaosRun} for one seed, {@code ChaosFaults} and {@code ChaosTraffic} for what it does to the pipeline,
 * {@code StreamOracle} for what it checks against (all in {@code app.chaos}).
 */
@Command(name = "chaos",
        header = "Runs the whole pipeline on emulators under seeded faults and checks the tables against the stream.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "For each seed: emulators of its own, clean trips mixed with every kind of bad input and a producer's "
            + "repeated puts, our event source mapping with the function (by default the packaged artifact under AWS's "
            + "runtime client), DynamoDB throttling, unprocessed items, hanging calls and outages, an execution environment "
            + "killed, the mapping stopped, killed (kill -9) and restarted, the emulators restarted; for half the seeds, batches given up in a long outage "
            + "and redriven afterwards. Then the aggregates, the trips and the quarantine are compared with what the "
            + "stream read back says they must be (KCL's deaggregator, Jackson, no code of ours).",
        footer = {"", "Examples:", "  ./kinesis-aggs chaos --seed 7", "  ./kinesis-aggs chaos --seed 1 --runs 20"})
public final class ChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "The first seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--runs", paramLabel = "K", defaultValue = "1", description = "How many seeds, from --seed on (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--trips", paramLabel = "N", defaultValue = "300", description = "Clean trips per seed (default: ${DEFAULT-VALUE}).")
    int trips;

    @Option(names = {"--window", "--tumbling-window-in-seconds"}, paramLabel = "DURATION", converter = Durations.class, defaultValue = "2s",
            description = "Tumbling window, whole seconds from 1 s to 900 s, e.g. 2s or 2 (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Mixin
    FunctionOptions function;

    @Option(names = "--function-log", paramLabel = "FILE", description = "Write the function's log to FILE (default: discarded).")
    java.nio.file.Path functionLog;

    @Option(names = "--verbose", description = "Also print the mapping's own log (windows closed, retries).")
    boolean verbose;

    private final Clock clock;

    public ChaosCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || trips < 1) {
            throw new ParameterException(spec.commandLine(), "--runs and --trips must be at least 1");
        }
        int windowSeconds;
        try {
            windowSeconds = Durations.wholeSeconds("--window", window, 1, EventSourceMappingConfig.MAX_TUMBLING_WINDOW_SECONDS);
            function.check(ChaosRun.TABLES); // here, not in the mapping's own process, where it would end as a stack trace
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Long> failed = new ArrayList<>();
        if (functionLog != null) {
            java.nio.file.Files.write(functionLog, new byte[0]); // each seed's mapping and redrive append to it
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("The mapping under test logs its warnings on lines marked 'seed N: " + MappingProcess.LOG_MARK + "':"
                + " most follow from the faults injected (batches given up and redriven, calls throttled, a mapping killed,"
                + " emulators restarted). Each seed's verdict is its PASS or FAIL line.");
        err.flush();
        try (EngineLog engine = EngineLog.warningsUnless(verbose)) {
            for (long s = seed; s < seed + runs; s++) {
                ChaosRun.Verdict verdict;
                try {
                    verdict = new ChaosRun(s, trips, windowSeconds, function.arguments(), Optional.ofNullable(functionLog), verbose, clock)
                            .run();
                } catch (IOException | RuntimeException e) {
                    // the seed could not be run to its end (an emulator or the mapping's process would not start): it
                    // fails, and the next seeds still run
                    verdict = new ChaosRun.Verdict(s, List.of("the run stopped: " + e), "not run to its end");
                }
                out.println("seed " + verdict.seed() + ": " + (verdict.passed() ? "PASS" : "FAIL") + ", " + verdict.summary());
                verdict.differences().stream().limit(20).forEach(d -> out.println("  " + d));
                out.flush();
                if (!verdict.passed()) {
                    failed.add(verdict.seed());
                }
            }
        }
        out.println((runs - failed.size()) + " of " + runs + " seeds passed" + (failed.isEmpty() ? "." : "; failed: " + failed + "."));
        out.flush();
        return failed.isEmpty() ? 0 : 1;
    }
}
