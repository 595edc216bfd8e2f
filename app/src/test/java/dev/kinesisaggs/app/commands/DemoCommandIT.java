package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.function.testing.AggregateTable;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * {@code kinesis-aggs demo --unclean 10 --window 5s}, in this JVM: windows land in the table, are printed, and all stops on
 * Ctrl-C (the command's stop signal, given as soon as what is checked is there; {@code --duration 90s} is only a cap).
 */
@Isolated // it checks that no emulator of this JVM is left: none of another class may run meanwhile
class DemoCommandIT {
    private static final Pattern DYNAMODB = Pattern.compile("DynamoDB \\(dynalite\\) at (\\S+): tables");
    private static final Pattern KINESIS = Pattern.compile("Kinesis  \\(\\S+\\) at (\\S+): stream");
    private static final Pattern DASHBOARD = Pattern.compile("Dashboard: (\\S+)");
    private static final Pattern FUNCTION_LOG = Pattern.compile("Function log \\([^)]*\\): (\\S+)");
    private static final Pattern WINDOW_LINE = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d)-\\d\\d:\\d\\d:\\d\\d\\s+(.*)$");
    private static final Pattern REJECTED = Pattern.compile("rejected: ([\\d,]+)");
    private static final Pattern VENDOR = Pattern.compile("vendor (\\d+):\\s+([\\d,]+) /\\s+([\\d,]+)");
    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @Test
    void printsTheWindowsThatLandInTheTableServesTheLagAndStopsWithNothingLeft() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CountDownLatch ctrlC = new CountDownLatch(1);
        CommandLine commandLine = KinesisAggs.commandLine(ctrlC::await, Clock.systemUTC());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        Instant started = Instant.now();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "demo", "--duration", "90s", "--window", "5s", "--port", "0", "--status-every", "10s", "--unclean", "10"));

        await().atMost(Duration.ofMinutes(3)).until(() -> out.toString().contains("Dashboard: ") || exit.isDone());
        assertThat(out.toString()).contains("batching window 1 s", "TRIM_HORIZON", "tumbling window 5 s");
        URI dynamoDbEndpoint = URI.create(find(DYNAMODB, out.toString()));
        URI kinesisEndpoint = URI.create(find(KINESIS, out.toString()));
        URI dashboard = URI.create(find(DASHBOARD, out.toString()));

        try (DynamoDbClient dynamo = new LocalAwsClients(kinesisEndpoint, dynamoDbEndpoint, false).newDynamoDbClient()) {
            // a window printed with exactly what the table holds for it
            // and a window whose printed rejects are those the quarantine table holds for its time (each item is one
            // Kinesis record, with its arrival time and its counts per reason): 10 % of 50 trips/s are unclean
            await().atMost(Duration.ofSeconds(80)).pollInterval(Duration.ofMillis(500))
                    .failFast("the demo ended", exit::isDone)
                    .until(() -> windowsPrintedAsInTheTable(out.toString(), table(dynamo)) >= 1
                            && windowsRejectingAsTheQuarantineHolds(out.toString(), dynamo) >= 1
                            && coldStartsReported(Path.of(find(FUNCTION_LOG, out.toString()))) == 2); // both shards'
        }
        String lag = HttpClient.newHttpClient().send(HttpRequest.newBuilder(dashboard.resolve("/api/lag")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(lag).contains("shardId-000000000000", "shardId-000000000001");

        ctrlC.countDown();
        assertThat(exit.get(90, TimeUnit.SECONDS)).as("exit code; stderr:%n%s", err).isZero();
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(120)); // the checks hold within 80 s, then it stops promptly
        assertThat(out.toString()).contains("Stopping...", "Stopped the mapping, the dashboard and the emulators.")
                .containsPattern("the first aggregates landed \\d+ s after the start");
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("kinesis-aggs-guard.js"))).isEmpty();
        // the windows were computed by the packaged artifact under AWS's runtime client, one environment per shard
        assertThat(out.toString()).contains("Function: kinesis-aggs-function-lambda.jar (" + FunctionOptions.OUR_HANDLER
                + ") under AWS's Lambda runtime client, 1769 MB").contains("; function: 2 execution environments started");
        Path functionLog = Path.of(find(FUNCTION_LOG, out.toString()));
        List<String> log = Files.readAllLines(functionLog);
        assertThat(log).filteredOn(l -> l.startsWith("REPORT RequestId: ") && l.contains("\tInit Duration: ")).hasSize(2);
        // and kept warm: a window printed took a shard's final invoke, after that shard's cold first invocation
        assertThat(log).filteredOn(l -> l.startsWith("REPORT RequestId: ") && !l.contains("\tInit Duration: ")).isNotEmpty();
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("AWSLambda"))).as("environments left").isEmpty();
        Files.deleteIfExists(functionLog);
        System.out.println(out);
    }

    /**
     * Found by probing: an emulator killed under a demo stalled it, then ended it with advice about options demo does not
     * take. Without the memory bound (which starts it again: MemoryBoundIT) it ends the demo with its own sentence.
     */
    @Test
    void anEmulatorKilledUnderTheDemoWithoutABoundEndsItWithThatSentence() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = KinesisAggs.commandLine(new CountDownLatch(1)::await, Clock.systemUTC());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "demo", "--duration", "90s", "--window", "5s", "--port", "0", "--emulator-memory", "0", "--in-process"));
        await().atMost(Duration.ofMinutes(3)).until(() -> out.toString().contains("Aggregates as each") || exit.isDone());

        ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("dynalite/cli.js")).findFirst().orElseThrow()
                .destroyForcibly();

        assertThat(exit.get(60, TimeUnit.SECONDS)).as("exit code; stderr:%n%s", err).isEqualTo(1);
        assertThat(err.toString()).contains("The dynalite emulator on port ", "was killed by signal 9",
                "The demo cannot go on without it: start the demo again.").doesNotContain("--endpoint-url");
        assertThat(out.toString()).contains("Stopped the mapping, the dashboard and the emulators.");
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("kinesis-aggs-guard.js"))).isEmpty();
    }

    /** The REPORT lines of a cold start in the function log so far. */
    private static long coldStartsReported(Path functionLog) throws IOException {
        return Files.exists(functionLog) ? Files.readAllLines(functionLog).stream()
                .filter(l -> l.startsWith("REPORT RequestId: ") && l.contains("\tInit Duration: ")).count() : 0;
    }

    /** How many windows' last printed line gives a positive number rejected that the quarantine table agrees with. */
    private static int windowsRejectingAsTheQuarantineHolds(String output, DynamoDbClient dynamo) {
        Map<String, Long> printed = new HashMap<>();
        for (String line : output.lines().toList()) {
            Matcher window = WINDOW_LINE.matcher(line);
            Matcher rejected = REJECTED.matcher(line);
            if (window.matches() && rejected.find()) {
                printed.put(window.group(1), number(rejected.group(1)));
            }
        }
        Map<String, Long> quarantined = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName("kinesisAggsRejects").exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                Instant arrival = Instant.parse(item.get("arrivalTime").s());
                String window = HH_MM_SS.format(Instant.ofEpochSecond(arrival.getEpochSecond() / 5 * 5));
                item.get("reasons").m().values().forEach(n -> quarantined.merge(window, Long.parseLong(n.n()), Long::sum));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        int same = 0;
        for (Map.Entry<String, Long> window : printed.entrySet()) {
            if (window.getValue() > 0 && window.getValue().equals(quarantined.get(window.getKey()))) {
                same++;
            }
        }
        return same;
    }

    /** Per window start (HH:mm:ss) and vendor: passengers and trips, as the readers count them. */
    private static Map<String, Map<Long, List<Long>>> table(DynamoDbClient dynamo) {
        Map<String, Map<Long, List<Long>>> windows = new HashMap<>();
        AggregateTable.read(dynamo, "kinesisAggs").windows().forEach((start, byVendor) -> byVendor.forEach((vendor, t) ->
                windows.computeIfAbsent(HH_MM_SS.format(Instant.parse(start)), w -> new HashMap<>())
                        .put(vendor, List.of(t.passengers(), t.trips()))));
        return windows;
    }

    /** How many windows' last printed line gives exactly the table's values. */
    private static int windowsPrintedAsInTheTable(String output, Map<String, Map<Long, List<Long>>> table) {
        Map<String, Map<Long, List<Long>>> printed = new HashMap<>();
        for (String line : output.lines().toList()) {
            Matcher window = WINDOW_LINE.matcher(line);
            if (window.matches()) {
                Map<Long, List<Long>> vendors = new HashMap<>();
                Matcher vendor = VENDOR.matcher(window.group(2));
                while (vendor.find()) {
                    vendors.put(Long.parseLong(vendor.group(1)),
                            List.of(number(vendor.group(2)), number(vendor.group(3))));
                }
                printed.put(window.group(1), vendors); // the last line of a window wins
            }
        }
        int same = 0;
        for (Map.Entry<String, Map<Long, List<Long>>> window : printed.entrySet()) {
            if (!window.getValue().isEmpty() && window.getValue().equals(table.get(window.getKey()))) {
                same++;
            }
        }
        return same;
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }

    private static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in%n%s", pattern, text).isTrue();
        return m.group(1);
    }
}
