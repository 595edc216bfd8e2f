package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.aggregates.AggregateTables;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import dev.kinesisaggs.localaws.LocalAws;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code kinesis-aggs dashboard} as a user runs it, against dynalite. */
class DashboardCommandIT {

    // Emulators of this class's own, stopped after it: the command line's tests check that no
    // emulator is left among this JVM's processes, which the run-wide shared ones would be.
    private static LocalAws aws;
    private static String endpoint;

    @BeforeAll
    static void start() {
        aws = LocalAws.start();
        endpoint = aws.dynamoDbEndpoint().toString();
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void servesTheTablesUntilStopped() throws Exception {
        DynamoDbClient dynamo = aws.dynamoDb();
        String table = AggregateTables.uniqueName("dashboardCommandIT");
        String rejectsTable = AggregateTables.uniqueName("noRejectsYet");
        AggregateTables.createAggregates(dynamo, table);
        Instant start = Instant.parse("2016-01-01T00:00:30Z");
        AggregateTables.put(dynamo, table, WindowAggregate.of(2, start, start.plusSeconds(30), 17, 9));
        CountDownLatch ctrlC = new CountDownLatch(1);
        DashboardCommand command = new DashboardCommand(ctrlC::await, Clock.systemUTC(), EndpointOptions::dynamoDb);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() ->
                cli.execute("--port", "0", "--endpoint", endpoint, "--table", table, "--rejects-table", rejectsTable));
        Pattern address = Pattern.compile("Dashboard at (http://\\S+) \\(Ctrl-C to stop\\)");
        await().atMost(Duration.ofSeconds(20)).until(() -> address.matcher(out.toString()).find());
        Matcher m = address.matcher(out.toString());
        assertThat(m.find()).isTrue();
        URI page = URI.create(m.group(1));

        HttpClient http = HttpClient.newHttpClient();
        String aggregates = http.send(HttpRequest.newBuilder(page.resolve("api/aggregates")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String rejects = http.send(HttpRequest.newBuilder(page.resolve("api/rejects")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // without --chart-js, chart.js comes from the emulators' installation
        HttpResponse<String> chartJs = http.send(HttpRequest.newBuilder(page.resolve("vendor/chart.umd.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        ctrlC.countDown();

        assertThat(page.getHost()).isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
        assertThat(aggregates).contains("\"vendorId\":2,\"windowStart\":\"2016-01-01T00:00:30Z\"", "\"passengers\":17,\"trips\":9");
        assertThat(rejects).contains("\"status\":\"missing\"", "\"table\":\"" + rejectsTable + "\"");
        assertThat(chartJs.statusCode()).isEqualTo(200);
        assertThat(chartJs.body()).contains("Chart.js v4.6.1");
        assertThat(err.toString()).isEmpty();
        assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("Stopped the dashboard.");
        assertThat(isFree(page.getPort())).as("the port is free again").isTrue();
    }

    @Test
    void saysWhatToDoWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new DashboardCommand(() -> {
                throw new AssertionError("must not get as far as waiting");
            }, Clock.systemUTC(), EndpointOptions::dynamoDb))
                    .setExecutionExceptionHandler(KinesisAggs.commandLine(() -> { }, Clock.systemUTC())
                            .getExecutionExceptionHandler());
            cli.setErr(new PrintWriter(err, true));

            int code = cli.execute("--port", Integer.toString(taken.getLocalPort()), "--endpoint", endpoint);

            assertThat(code).isEqualTo(2);
            assertThat(err.toString().lines()).singleElement().asString()
                    .contains("Cannot listen on port " + taken.getLocalPort(), "choose another with --port");
        }
    }

    @Test
    void saysWhatToDoWhenNothingAnswersAtTheEndpoint() throws Exception {
        int nothingThere;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nothingThere = probe.getLocalPort();
        }
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DashboardCommand(() -> {
            throw new AssertionError("must not get as far as serving");
        }, Clock.systemUTC(), EndpointOptions::dynamoDb))
                .setExecutionExceptionHandler(KinesisAggs.commandLine(() -> { }, Clock.systemUTC()).getExecutionExceptionHandler());
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("--port", "0", "--endpoint", "http://127.0.0.1:" + nothingThere);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("Cannot reach DynamoDB (")
                .contains("check the endpoint variables");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
