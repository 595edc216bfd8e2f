package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.AwsErrors;
import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.TerminalText;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.app.rejects.QuarantineListing;
import dev.kinesisaggs.app.rejects.QuarantineOutput;
import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** {@code kinesis-aggs rejects}: prints the records the function kept aside instead of counting them, with their reasons. */
@Command(name = "rejects",
        header = "Prints the records kept aside in the quarantine table, with their reasons.",
        description =
            "Prints the Kinesis records whose user records the function did not count (unclean, a trip put twice, refused"
            + " by DynamoDB), newest first: when and where each arrived, how many of its user records were left out per"
            + " reason, and its first examples with the rule broken and their payload. On AWS (the SDK's default region"
            + " and credentials) or on the local emulators. Counts per reason go to standard error.",
        footer = {
            "",
            "Examples:",
            "  ./kinesis-aggs rejects",
            "  ./kinesis-aggs rejects --reason MALFORMED_JSON,OUT_OF_RANGE \\",
            "      --limit 0 --format json"})
public final class RejectsCommand implements Callable<Integer> {

    /** Records shown unless --limit says otherwise. */
    static final int DEFAULT_LIMIT = 20;
    static final int DEFAULT_MAX_ITEMS_READ = 100_000;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Mixin
    TableOptions.Rejects table;

    @Option(names = "--reason", paramLabel = "REASON", split = ",", completionCandidates = ReasonNames.class,
            description = "Only records with user records left out for these reasons (repeat or comma-separate): "
                    + "${COMPLETION-CANDIDATES}.")
    List<String> reasons = List.of();

    /** The reasons' names, from the one list of them. */
    static final class ReasonNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(RejectReason.values()).map(Enum::name).iterator();
        }
    }

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
            description = "The newest N records (default: ${DEFAULT-VALUE}); 0 for all.")
    int limit;

    @Option(names = "--max-items-read", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_ITEMS_READ,
            description = "Stop scanning the table after N items (default: ${DEFAULT-VALUE}); the table has no index by"
                    + " time, so it is scanned.")
    int maxItemsRead;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE}); json has every example's whole kept payload.")
    String format;

    @Mixin
    EndpointOptions endpoint;

    private final BiFunction<Optional<URI>, Optional<String>, DynamoDbClient> clients;

    public RejectsCommand() {
        this(EndpointOptions::dynamoDb);
    }

    /** For tests: how to get a client. */
    public RejectsCommand(BiFunction<Optional<URI>, Optional<String>, DynamoDbClient> clients) {
        this.clients = clients;
    }

    @Override
    public Integer call() {
        QuarantineOutput output = parseFormat();
        Set<String> chosen = parseReasons();
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be 0 (all) or more, not " + limit + ".");
        }
        if (maxItemsRead < 1) {
            throw new ParameterException(spec.commandLine(), "--max-items-read must be at least 1, not " + maxItemsRead + ".");
        }
        String name = table.name().orElseThrow(() -> new UserError(
                "--rejects-table is empty: name the quarantine table (" + TableNames.DEFAULT_REJECTS + " unless it was given another)."));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (DynamoDbClient dynamo = clients.apply(endpoint.endpointUrl(), endpoint.region())) {
            QuarantineListing.Result result = new QuarantineListing(dynamo, name, maxItemsRead).read(chosen, limit);
            out.print(output.render(result.records(), chosen));
            out.flush();
            // the summary on stderr, so that the output stays what its format says
            err.println(summary(name, result, chosen));
            if (result.skipped() > 0) {
                // found by a review: another table named listed its items as records of no reason
                err.println(String.format(Locale.ROOT, "Skipped %,d item%s of %s that %s no quarantine item%s (no %s; for example one with %s):"
                                + " is %s the quarantine table?", result.skipped(), result.skipped() == 1 ? "" : "s", name,
                        result.skipped() == 1 ? "is" : "are", result.skipped() == 1 ? "" : "s", Tables.RECORD_ID,
                        result.skippedExample().orElse("no attributes"), name));
            }
            err.flush();
            return 0;
        } catch (ResourceNotFoundException e) {
            throw new UserError("The table '" + name + "' does not exist there: name an existing quarantine table with"
                    + " --rejects-table, or create it ('kinesis-aggs local' creates the tables on the emulators, the stack on AWS).");
        } catch (SdkClientException e) {
            throw AwsErrors.cannotReach("DynamoDB", e);
        }
    }

    static String summary(String tableName, QuarantineListing.Result result, Set<String> chosen) {
        String scope = result.complete() ? "" : " in the first " + String.format(Locale.ROOT, "%,d", result.itemsRead())
                + " items read (--max-items-read)";
        if (result.records().isEmpty()) {
            return tableName + " holds no record" + (chosen.isEmpty() ? "" : " with user records left out as " + String.join(" or ", chosen))
                    + scope + ": nothing was kept aside" + (chosen.isEmpty() ? "" : " for " + (chosen.size() == 1 ? "that reason" : "those reasons")) + ".";
        }
        long total = result.matching();
        int shown = result.records().size();
        String counts = QuarantineOutput.reasonCounts(result.rejectedByReason());
        long users = result.rejectedByReason().values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%,d record%s kept aside in %s%s, %,d user record%s not counted: %s.", total,
                total == 1 ? "" : "s", tableName, scope, users, users == 1 ? "" : "s", counts)
                + (shown < total ? String.format(Locale.ROOT, " Shown: the newest %,d (--limit 0 for all).", shown) : "");
    }

    private QuarantineOutput parseFormat() {
        String f = format.toUpperCase(Locale.ROOT);
        if (!f.equals("TABLE") && !f.equals("JSON")) {
            throw new ParameterException(spec.commandLine(), "Unknown --format '" + format + "': use table or json.");
        }
        return QuarantineOutput.valueOf(f);
    }

    private Set<String> parseReasons() {
        List<String> known = new ArrayList<>();
        new ReasonNames().forEach(known::add);
        Set<String> chosen = new TreeSet<>();
        for (String r : reasons) {
            String name = r.strip().toUpperCase(Locale.ROOT);
            if (!known.contains(name)) {
                throw new ParameterException(spec.commandLine(), "Unknown --reason '" + TerminalText.printable(r, 100) + "': use one of "
                        + String.join(", ", known) + ".");
            }
            chosen.add(name);
        }
        return chosen;
    }
}
