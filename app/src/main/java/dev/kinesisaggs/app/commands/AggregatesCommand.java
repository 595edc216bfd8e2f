package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.AwsErrors;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.OutputFormat;
import dev.kinesisaggs.app.aggregates.SkippedItems;
import dev.kinesisaggs.app.aggregates.TimeBound;
import dev.kinesisaggs.app.aggregates.TimeRange;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** {@code kinesis-aggs aggregates}: prints the per-vendor window aggregates of a time range. */
@Command(name = "aggregates",
        header = "Prints passengers and trips per vendor and window from the aggregates table.",
        description =
            "Prints passengers and trips per vendor and window from the aggregates table, "
            + "on AWS (the SDK's default region and credentials) or on the local emulators.",
        footer = {
            "",
            "Examples:",
            "  ./kinesis-aggs aggregates --from -15m",
            "  ./kinesis-aggs aggregates --vendor 2 --from 2016-01-01 --to 2016-01-02 \\",
            "      --format csv"})
public final class AggregatesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Mixin
    TableOptions.Aggregates table;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Windows starting at or after TIME: an ISO instant (2016-01-01T00:00:30Z), a date, 'now',"
                    + " or a time ago (-15m, -30s, -2h, -1d). Default: the earliest.")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "Windows starting before TIME (same forms as --from). Default: the latest.")
    String to;

    @Option(names = "--vendor", paramLabel = "ID", split = ",",
            description = "Only these vendors (repeat or comma-separate). Reads with a Query per vendor;"
                    + " without it the whole table is scanned.")
    List<Long> vendors = List.of();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    EndpointOptions endpoint;

    private final Clock clock;
    private final BiFunction<Optional<URI>, Optional<String>, DynamoDbClient> clients;

    public AggregatesCommand() {
        this(Clock.systemUTC(), EndpointOptions::dynamoDb);
    }

    /** For tests and for a caller that already holds a client (the demo): the clock and how to get a client. */
    public AggregatesCommand(Clock clock, BiFunction<Optional<URI>, Optional<String>, DynamoDbClient> clients) {
        this.clock = clock;
        this.clients = clients;
    }

    @Override
    public Integer call() {
        OutputFormat output = parseFormat(format);
        TimeRange range = parseRange();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<Long> vendorSet = new TreeSet<>(vendors);
        try (DynamoDbClient dynamo = clients.apply(endpoint.endpointUrl(), endpoint.region())) {
            AggregatesQuery.Result result;
            try {
                result = new AggregatesQuery(dynamo, table.name()).read(range, vendorSet, Integer.MAX_VALUE);
            } catch (DynamoDbException e) {
                throw notAggregatesTable(dynamo, e);
            }
            out.print(output.render(result.windows(), result.partialWindows()));
            out.flush();
            // notes on stderr, so that the output stays what its format says
            if (result.windows().isEmpty()) { // found by probing: "No windows." alone did not say where it looked
                err.println(table.name() + " holds no window" + (vendorSet.isEmpty() ? "" : " for vendor " + vendorSet.stream()
                        .map(String::valueOf).collect(Collectors.joining(", "))) + (range.equals(TimeRange.ALL) ? " at all"
                        : " " + range.describe()) + ".");
            }
            if (!result.partialWindows().isEmpty()) {
                err.println(partialNote(result.partialWindows()));
            }
            if (!result.begunWindows().isEmpty()) {
                err.println(begunNote(result.begunWindows()));
            }
            if (result.skipped().count() > 0) {
                err.println(skippedNote(table.name(), result.skipped()));
            }
            err.flush();
            return 0;
        } catch (ResourceNotFoundException e) {
            // not "run the demo": its tables live on emulators of its own, gone when it ends (found by probing)
            throw new UserError("The table '" + table.name() + "' does not exist there: name an existing aggregates table with"
                    + " --table, or create it ('kinesis-aggs local' creates the tables on the emulators, the stack on AWS).");
        } catch (SdkClientException e) {
            throw AwsErrors.cannotReach("DynamoDB", e);
        }
    }

    /** One sentence: how many items were left out as not window aggregates, and the first of them. */
    static String skippedNote(String tableName, SkippedItems skipped) {
        String example = skipped.example().map(n -> " (" + (skipped.count() == 1 ? "" : "for example ") + n.key() + ": "
                + n.reason() + ")").orElse("");
        return "Skipped " + skipped.count() + (skipped.count() == 1 ? " item of " + tableName + " that is not a window aggregate"
                : " items of " + tableName + " that are not window aggregates") + example + ".";
    }

    /**
     * A Query refused for its key condition may mean another table than an aggregates table (--table kinesisAggsTrips):
     * then one DescribeTable says so, on this failure only, rather than DynamoDB's words about a key schema element.
     */
    private RuntimeException notAggregatesTable(DynamoDbClient dynamo, DynamoDbException refused) {
        if (refused.awsErrorDetails() == null || !"ValidationException".equals(refused.awsErrorDetails().errorCode())) {
            return refused;
        }
        try {
            TableDescription described = dynamo.describeTable(b -> b.tableName(table.name())).table();
            return Tables.keyProblem(Tables.aggregatesTable(table.name()), described)
                    .<RuntimeException>map(problem -> new UserError(problem + ": name the aggregates table with --table (the"
                            + " pipeline's is " + TableNames.DEFAULT_AGGREGATES + " unless it was given another)."))
                    .orElse(refused);
        } catch (SdkException cannotTell) {
            refused.addSuppressed(cannotTell);
            return refused;
        }
    }

    /** Windows printed with the sums of some shards only (found by probing: a given-up shard's window looked whole). */
    static String partialNote(Set<Instant> windows) {
        boolean one = windows.size() == 1;
        return windows.size() + (one ? " window holds" : " windows hold") + " the sums of some shards only: another shard has"
                + " not written " + (one ? "it" : "them") + " to the end yet (its final invoke is to come, or was given up): "
                + starts(windows) + ". A given-up window is delivered again by kinesis-aggs redrive, from the mapping's"
                + " on-failure records.";
    }

    /**
     * Windows not printed because no shard has written one to its end: in a live stream, the window filling now (found
     * by a newcomer's probe: a note of the given-up kind for it read as a fault).
     */
    static String begunNote(Set<Instant> windows) {
        boolean one = windows.size() == 1;
        return windows.size() + (one ? " window has" : " windows have") + " begun and no shard has written "
                + (one ? "it" : "them") + " to the end yet, so " + (one ? "it is" : "they are") + " not shown (still open, or"
                + " every final invoke given up): " + starts(windows) + ".";
    }

    private static String starts(Set<Instant> windows) {
        List<String> starts = windows.stream().sorted().limit(5).map(Instant::toString).toList();
        return String.join(", ", starts) + (windows.size() > starts.size() ? ", ..." : "");
    }

    private OutputFormat parseFormat(String text) {
        try {
            return OutputFormat.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(),
                    "Unknown --format '" + text + "': use table, json or csv.");
        }
    }

    private TimeRange parseRange() {
        try {
            Optional<Instant> start = Optional.ofNullable(from).map(f -> TimeBound.parse(f, clock));
            Optional<Instant> end = Optional.ofNullable(to).map(t -> TimeBound.parse(t, clock));
            return new TimeRange(start, end);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
