package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.AwsErrors;
import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.StopSignal;
import dev.kinesisaggs.app.StopWaiter;
import dev.kinesisaggs.app.TerminalText;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.producer.Producer;
import dev.kinesisaggs.producer.ProducerListener;
import dev.kinesisaggs.producer.ProducerOptions;
import dev.kinesisaggs.producer.ProducerProgress;
import dev.kinesisaggs.producer.ProducerSummary;
import dev.kinesisaggs.producer.source.CsvTripSource;
import dev.kinesisaggs.producer.source.JsonLinesTripSource;
import dev.kinesisaggs.producer.source.SourceItem;
import dev.kinesisaggs.producer.source.SyntheticTripSource;
import dev.kinesisaggs.producer.source.TripSourceOpener;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** {@code kinesis-aggs produce}: sends trips to a stream, as the workshop's producer client program does. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Sends taxi trips to a Kinesis stream: trip JSON, the trip id as partition key, KPL-aggregated. "
            + "Endpoints, region and credentials are the SDK's: AWS by default; the emulators when the variables "
            + "printed by 'kinesis-aggs local' (AWS_ENDPOINT_URL_KINESIS, ...) are set; or --endpoint-url and --region "
            + "as the AWS CLI takes them.",
        footer = {"", "Examples:",
            "  ./kinesis-aggs produce --csv taxi-trips.csv --rate 500",
            "  ./kinesis-aggs produce --seed 7 --rate 50 --duration 10m"})
public final class ProduceCommand implements Callable<Integer> {
    /** Bad rows reported one by one; after that only counted. */
    static final int BAD_ROWS_SHOWN = 10;

    @Spec
    CommandSpec spec;

    static final class SourceChoice {
        @Option(names = "--csv", paramLabel = "FILE",
                description = "A CSV in the workshop's format (id,vendor_id,pickup_datetime,...), with or without that header;"
                        + " a pipe (/dev/stdin) too, without --loop.")
        Path csv;

        @Option(names = "--jsonl", paramLabel = "FILE", description = "One trip JSON per line; a pipe (/dev/stdin) too, without --loop.")
        Path jsonLines;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    SourceChoice source;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the synthetic generator, used when no file is given (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stream", paramLabel = "NAME", converter = AwsNames.Stream.class, defaultValue = "taxi-trips", description = "The stream (default: ${DEFAULT-VALUE}).")
    String stream;

    @Option(names = "--rate", paramLabel = "TRIPS/S", defaultValue = "0",
            description = "Trips per second; 0 = as fast as the stream takes (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--no-aggregation", description = "One Kinesis record per trip instead of KPL aggregates.")
    boolean noAggregation;

    @Option(names = "--loop", description = "Replay the file for ever, with fresh trip ids each lap.")
    boolean loop;

    @Option(names = "--shift-to-now", description = "Move all dates so that the first pickup is now.")
    boolean shiftToNow;

    @Option(names = "--send-bad-rows", description = "Send rows that are not trips as they are (to exercise the quarantine) instead of skipping them.")
    boolean sendBadRows;

    @Option(names = "--max-trips", paramLabel = "N", defaultValue = "0", description = "Stop after N trips; 0 = no limit.")
    long maxTrips;

    @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.RunFor.class,
            description = "Stop after this long (e.g. 90s, 10m); default: until the source ends or Ctrl-C.")
    Duration duration;

    @Option(names = "--progress-every", paramLabel = "DURATION", converter = Durations.Interval.class, defaultValue = "5s",
            description = "How often to print the progress line (default: ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Mixin
    EndpointOptions endpoint;

    private final StopSignal stopSignal;
    private final AwsClients clients;

    public ProduceCommand(StopSignal stopSignal, AwsClients clients) {
        this.stopSignal = stopSignal;
        this.clients = clients;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProducerOptions options = options();
        TripSourceOpener opener = opener(out);
        try (KinesisClient kinesis = clients.at(endpoint).kinesis()) {
            Producer producer;
            try {
                producer = Producer.create(kinesis, opener, options, new Printer(out, err));
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            out.println("Sending " + describeSource() + " to stream " + stream + (options.aggregation() ? ", KPL-aggregated" : ", one record per trip")
                    + (rate > 0 ? ", " + plain(rate) + " trips/s" : ", as fast as the stream takes") + " (Ctrl-C to stop).");
            out.flush();
            StopWaiter.start(stopSignal, producer::stop);
            ProducerSummary summary;
            try {
                summary = producer.run();
            } catch (SdkClientException e) {
                // what was sent before Kinesis could no longer be reached, so that the user knows where the stream stands
                err.println("Stopped at " + producer.progress().line() + ".");
                err.flush();
                throw e;
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof java.nio.charset.CharacterCodingException) {
                    throw new UserError("Cannot read " + describeSource() + ": it is not UTF-8 text; give a workshop CSV or a"
                            + " JSON-lines file of trips.");
                }
                throw new UserError("Cannot read " + describeSource() + ": " + e.getCause().getMessage() + ".");
            }
            out.println(summary.describe());
            out.flush();
            ProducerProgress read = summary.progress();
            if (sourceFile().isPresent() && summary.stoppedBecause() == ProducerSummary.StopReason.SOURCE_ENDED
                    && read.send().sentTrips() + read.send().failedTrips() + read.buffered() + read.badRowsSent() == 0) {
                // a file read to its end without a trip in it is the wrong file (or an empty one), not a file with a few bad rows
                err.println("No row of " + sourceFile().orElseThrow() + " is a trip (" + read.badRowsSkipped()
                        + " skipped): give a workshop trip CSV (--csv) or a JSON-lines file of trips (--jsonl).");
                err.flush();
                return 2; // the user's input, as a missing file is (found by a probe: 1, which the README gives to failures)
            }
            return summary.progress().send().failedTrips() == 0 ? 0 : 1;
        } catch (SdkClientException e) {
            throw AwsErrors.cannotReach("Kinesis", e);
        } finally {
            stopSignal.stopped();
        }
    }

    private ProducerOptions options() {
        if (!(rate >= 0 && rate < Double.POSITIVE_INFINITY)) { // found by probing: the library's sentence named no option
            throw new ParameterException(spec.commandLine(), "--rate must be a positive number of trips per second, or 0 for"
                    + " no limit, not " + Numbers.plain(rate));
        }
        try {
            return ProducerOptions.defaults(stream)
                    .withAggregation(!noAggregation)
                    .withRate(rate)
                    .withLoop(loop)
                    .withShiftToNow(shiftToNow)
                    .withSendBadRows(sendBadRows)
                    .withMaxTrips(maxTrips)
                    .withMaxDuration(duration)
                    .withProgressInterval(progressEvery);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private TripSourceOpener opener(PrintWriter out) {
        if (source != null && source.csv != null) {
            requireFile(source.csv, "--csv");
            return csvNamingItsForm(source.csv, out);
        }
        if (source != null && source.jsonLines != null) {
            requireFile(source.jsonLines, "--jsonl");
            return JsonLinesTripSource.opener(source.jsonLines);
        }
        return () -> new SyntheticTripSource(seed);
    }

    /**
     * Opens the CSV as {@link CsvTripSource#opener} does, and says once (not at each lap of --loop) which form it was
     * recognised in, e.g. {@code taxi.csv: workshop CSV without a header, two-digit years}: the producer opens the
     * source only when it runs, after the start line.
     */
    private static TripSourceOpener csvNamingItsForm(Path csv, PrintWriter out) {
        AtomicBoolean named = new AtomicBoolean();
        return () -> {
            CsvTripSource opened = CsvTripSource.open(csv);
            if (!named.getAndSet(true)) {
                out.println(csv.getFileName() + ": " + opened.form().describe());
                out.flush();
            }
            return opened;
        };
    }

    /** A file; or a pipe (a FIFO, /dev/stdin), read once as it comes, which --loop cannot read again. */
    private void requireFile(Path file, String option) {
        if (Files.isDirectory(file) || !Files.exists(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " is not a file: give the path of an existing file");
        }
        if (loop && !Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " is not a regular file (a pipe?), which --loop"
                    + " cannot read again: give a file, or leave out --loop");
        }
        // else found only once sending has started, and said as the path alone (the JDK's AccessDeniedException message)
        if (!Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + " is not readable by this user: check its"
                    + " permissions");
        }
    }

    private String describeSource() {
        return sourceFile().map(file -> "the trips of " + file).orElse("synthetic trips (seed " + seed + ")");
    }

    /** The file given with --csv or --jsonl; empty for synthetic trips. */
    private Optional<Path> sourceFile() {
        if (source == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(source.csv != null ? source.csv : source.jsonLines);
    }

    /** Prints the progress lines and the bad rows. */
    private static final class Printer implements ProducerListener {
        private final PrintWriter out;
        private final PrintWriter err;
        private long badRows;

        Printer(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public void onProgress(ProducerProgress progress) {
            out.println(progress.line());
            out.flush();
        }

        @Override
        public void onBadRow(SourceItem.BadRow row, boolean sentAsIs) {
            badRows++;
            if (badRows <= BAD_ROWS_SHOWN) {
                // the reason quotes the row, whatever it holds (found by a probe: an escape sequence cleared the screen)
                err.println("line " + row.lineNumber() + (sentAsIs ? " sent as it is: " : " skipped: ") + TerminalText.printable(row.reason(), 500));
            } else if (badRows == BAD_ROWS_SHOWN + 1) {
                err.println("(further bad rows are counted in the summary, not shown)");
            }
            err.flush();
        }
    }

    /** The rate as a user writes it: {@code 100}, {@code 2.5}, {@code 1000000000000}; not {@code 100.0}, {@code 1.0E12}. */
    private static String plain(double rate) {
        return java.math.BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }
}
