package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.AwsErrors;
import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.StopSignal;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.dashboard.ChartJs;
import dev.kinesisaggs.app.dashboard.DashboardOptions;
import dev.kinesisaggs.app.dashboard.DashboardServer;
import dev.kinesisaggs.app.dashboard.LagSource;
import dev.kinesisaggs.app.dashboard.RejectCountsQuery;
import dev.kinesisaggs.localaws.LocalAwsException;
import dev.kinesisaggs.localaws.NodeModules;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code kinesis-aggs dashboard}: the dashboard alone, on tables that already exist (on the emulators or
 * on AWS), without an event source mapping (so without the lag panel). {@code demo} serves the same page
 * with its own mapping attached.
 */
@Command(name = "dashboard",
        header = "Serves the live dashboard for existing tables, until Ctrl-C.",
        description =
            "Serves the live dashboard (aggregates per vendor and window, rejected records by reason) "
            + "for existing tables, on the local emulators or on AWS, until Ctrl-C.")
public final class DashboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DashboardOptions.DEFAULT_PORT,
            description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default: loopback, so only this machine sees the page).")
    String bind;

    @Mixin
    TableOptions.Aggregates table;

    @Mixin
    TableOptions.Rejects rejectsTable;

    @Option(names = "--windows", paramLabel = "N", defaultValue = "" + DashboardOptions.DEFAULT_RECENT_WINDOWS,
            description = "How many of the newest windows to chart (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--vendor", paramLabel = "ID", split = ",",
            description = "Read only these vendors, with a Query each (recommended for a large table on AWS);"
                    + " default: all, with a bounded Scan.")
    List<Long> vendors = List.of();

    @Option(names = "--chart-js", paramLabel = "FILE",
            description = "chart.js's UMD build. Default: the one installed with the emulators.")
    Path chartJs;

    @Mixin
    EndpointOptions endpoint;

    private final StopSignal stopSignal;
    private final Clock clock;
    private final BiFunction<Optional<URI>, Optional<String>, DynamoDbClient> clients;

    /** Stops on Ctrl-C ({@link StopSignal#onShutdown()}, or a test's signal); clients from the options. */
    public DashboardCommand(StopSignal stopSignal, Clock clock) {
        this(stopSignal, clock, EndpointOptions::dynamoDb);
    }

    public DashboardCommand(StopSignal stopSignal, Clock clock,
                            BiFunction<Optional<URI>, Optional<String>, DynamoDbClient> clients) {
        this.stopSignal = stopSignal;
        this.clock = clock;
        this.clients = clients;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String rejects = rejectsTable.name().orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--rejects-table is empty: the dashboard counts the rejects in the quarantine table, so name it"));
        DashboardOptions options = options(chartJs(err));
        try (DynamoDbClient dynamo = clients.apply(endpoint.endpointUrl(), endpoint.region());
             DashboardServer server = DashboardServer.start(options, new AggregatesQuery(dynamo, table.name()),
                     new RejectCountsQuery(dynamo, rejects, DashboardOptions.DEFAULT_MAX_ITEMS_READ),
                     LagSource.NONE, clock)) {
            requireReachable(dynamo); // after the address and the port, which are the user's to fix first
            out.println("Dashboard at " + server.uri() + " (Ctrl-C to stop)");
            out.flush();
            stopSignal.await();
            out.println("Stopped the dashboard.");
            out.flush();
            return 0;
        } catch (BindException e) {
            String why = String.valueOf(e.getMessage());
            if (bind != null && why.contains("assign requested address")) { // Linux: "Cannot assign...", macOS: "Can't assign..."
                throw new UserError("Cannot listen on " + bind + ": it is not an address of this machine; give one of its own with"
                        + " --bind, or leave --bind out for loopback.");
            }
            throw new UserError("Cannot listen on port " + port + " (" + e.getMessage() + "): choose another with --port,"
                    + " or 0 for any free one.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            stopSignal.stopped();
        }
    }

    /**
     * Fails when nothing answers at the DynamoDB endpoint: a dashboard of it would only serve errors, so
     * it says so at once, as the other commands do. Any answer will do (a table not there yet is shown as such, a call
     * the credentials may not make is the queries' to report).
     */
    private void requireReachable(DynamoDbClient dynamo) {
        try {
            dynamo.describeTable(b -> b.tableName(table.name()));
        } catch (AwsServiceException answered) {
            // it answered
        } catch (SdkClientException e) {
            throw AwsErrors.cannotReach("DynamoDB", e);
        }
    }

    /** The given file, else chart.js from the emulators' npm installation (installed now if need be). */
    private Optional<Path> chartJs(PrintWriter err) {
        Optional<Path> file;
        try {
            file = Optional.of(chartJs != null ? chartJs : NodeModules.install().resolve(ChartJs.IN_NODE_MODULES));
        } catch (LocalAwsException e) {
            err.println(e.getMessage());
            file = Optional.empty();
        }
        if (file.isEmpty() || !Files.isRegularFile(file.get())) {
            err.println("chart.js not found" + file.map(f -> " at " + f).orElse("")
                    + ": give it with --chart-js; the page shows its numbers as tables only.");
            err.flush();
        }
        return file;
    }

    private DashboardOptions options(Optional<Path> chartJsFile) {
        InetAddress address;
        try {
            address = bind == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "Unknown --bind address '" + bind
                    + "': give an IP address or host name of this machine.");
        }
        try {
            return new DashboardOptions(address, port, windows, Set.copyOf(vendors),
                    DashboardOptions.DEFAULT_MAX_ITEMS_READ, chartJsFile);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
