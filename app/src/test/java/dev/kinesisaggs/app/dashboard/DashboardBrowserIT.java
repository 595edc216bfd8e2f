package dev.kinesisaggs.app.dashboard;

import static dev.kinesisaggs.core.trip.RejectReason.MALFORMED_JSON;
import static dev.kinesisaggs.core.trip.RejectReason.MISSING_FIELD;
import static dev.kinesisaggs.core.trip.RejectReason.OUT_OF_RANGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.aggregates.AggregateTables;
import dev.kinesisaggs.function.testing.AggregateTable;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.localaws.LocalAws;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The dashboard in a real headless Chromium, on dynalite with aggregate items written as the function
 * writes them: the windows and sums the page charts are those the table holds.
 */
class DashboardBrowserIT {

    private static final Path TARGET = Path.of("target");
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static final int RECENT_WINDOWS = 10;
    private static final String SHARD_0 = "shardId-000000000000";
    private static final String SHARD_1 = "shardId-000000000001";
    private static final Pattern TAG = Pattern.compile("<(tr|body)\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

    private final String aggregatesTable = AggregateTables.uniqueName("browserAggs");
    private final String rejectsTable = AggregateTables.uniqueName("browserRejects");
    // Emulators of this class's own, stopped after it: the command line's tests check that no
    // emulator is left among this JVM's processes, which the run-wide shared ones would be.
    private static LocalAws aws;
    private DynamoDbClient dynamo;
    private DashboardServer server;
    private HeadlessChromium chromium;
    private final AtomicLong iteratorAge = new AtomicLong(1200);

    @BeforeAll
    static void startEmulators() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopEmulators() {
        if (aws != null) {
            aws.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        Path work = Files.createDirectories(TARGET.resolve("dashboard-it"));
        chromium = HeadlessChromium.find(work);
        dynamo = aws.dynamoDb();
        AggregateTables.createAggregates(dynamo, aggregatesTable);
        AggregateTables.createRejects(dynamo, rejectsTable);

        // chart.js as local-aws installed it, beside the emulators
        Path chartJs = aws.nodeModules().resolve(ChartJs.IN_NODE_MODULES);
        DashboardOptions options = new DashboardOptions(InetAddress.getLoopbackAddress(), 0, RECENT_WINDOWS, Set.of(),
                DashboardOptions.DEFAULT_MAX_ITEMS_READ, Optional.of(chartJs));
        LagSource lag = () -> List.of(
                new ShardLag("shardId-000000000000", iteratorAge.get(), 5120, 12, 0,
                        Optional.of("2026-11-27T09:06:30Z/2026-11-27T09:07:00Z"), Optional.of("49650000000000000000000000001")),
                new ShardLag("shardId-000000000001", 350, 4870, 11, 1, Optional.empty(), Optional.empty()));
        server = DashboardServer.start(options, new AggregatesQuery(dynamo, aggregatesTable),
                new RejectCountsQuery(dynamo, rejectsTable, 10_000), lag, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theChartShowsTheNewestWindowsThatTheTableHolds() throws Exception {
        // 14 windows of 30 s, written by the function's writer; vendor 2 misses two of them;
        // more windows than the page shows
        for (int i = 0; i < 14; i++) {
            Instant start = T0.plusSeconds(30L * i);
            long trips1 = 8 + (i * 7) % 5;
            AggregateTables.addPart(dynamo, aggregatesTable, SHARD_0, WindowAggregate.of(1, start, start.plusSeconds(30), trips1 * 3 / 2, trips1));
            if (i != 5 && i != 11) {
                long trips2 = 10 + (i * 3) % 7;
                AggregateTables.addPart(dynamo, aggregatesTable, SHARD_0, WindowAggregate.of(2, start, start.plusSeconds(30), trips2 * 2, trips2));
            }
        }
        // the other shard's run of the newest window began, and its final invoke was given up
        Instant newest = T0.plusSeconds(30L * 13);
        AggregateTables.addOpening(dynamo, aggregatesTable, SHARD_1, newest, newest.plusSeconds(30), "given-up", 1);
        RejectReason[] reasons = {MALFORMED_JSON, MALFORMED_JSON, MALFORMED_JSON, MISSING_FIELD, OUT_OF_RANGE, OUT_OF_RANGE};
        for (int i = 0; i < reasons.length; i++) {
            AggregateTables.putReject(dynamo, rejectsTable, "shardId-000000000000:" + (1000 + i), reasons[i].name());
        }

        String dom = chromium.dumpDom(server.uri(), 5000);

        Map<String, String> body = bodyAttributes(dom);
        assertThat(body).containsEntry("data-chart", "ready");
        assertThat(Integer.parseInt(body.get("data-polls"))).isPositive();
        List<ChartedWindow> expected = newestInTable(RECENT_WINDOWS);
        // of the 26 items in the table, those of the newest 10 windows: 10 of vendor 1, 8 of vendor 2
        assertThat(expected).hasSize(18);
        assertThat(chartedWindows(dom)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows(dom, "data-reason")).containsExactly(
                Map.entry("MALFORMED_JSON", "3"), Map.entry("OUT_OF_RANGE", "2"), Map.entry("MISSING_FIELD", "1"));
        assertThat(rows(dom, "data-shard")).containsExactly(
                Map.entry("shardId-000000000000", "1200"), Map.entry("shardId-000000000001", "350"));
        // every figure with its unit: the window's length in the headings, records for the rejects, seconds on the lag axis
        assertThat(dom).contains("Passengers per 30 s window", "Trips per 30 s window", "6 records rejected",
                "10 windows, 2 vendors · 1 window holds the sums of some shards only");

        chromium.screenshot(server.uri(), 5000, TARGET.resolve("dashboard.png"), 1280, 1320);
    }

    @Test
    void theChartFollowsTheTableAsWindowsLandAndGrow() throws Exception {
        for (int i = 0; i < 3; i++) {
            Instant start = T0.plusSeconds(30L * i);
            AggregateTables.addPart(dynamo, aggregatesTable, SHARD_0, WindowAggregate.of(1, start, start.plusSeconds(30), 10 + i, 6 + i));
        }
        List<ChartedWindow> before = chartedWindows(chromium.dumpDom(server.uri(), 3000));
        assertThat(before).containsExactlyInAnyOrderElementsOf(newestInTable(RECENT_WINDOWS));

        // a second shard's part of the newest window adds to the same item, and a new window appears
        Instant last = T0.plusSeconds(60);
        AggregateTables.addPart(dynamo, aggregatesTable, SHARD_1, WindowAggregate.of(1, last, last.plusSeconds(30), 9, 5));
        Instant next = T0.plusSeconds(90);
        AggregateTables.addPart(dynamo, aggregatesTable, SHARD_1, WindowAggregate.of(2, next, next.plusSeconds(30), 4, 3));
        iteratorAge.set(45_000);

        String dom = chromium.dumpDom(server.uri(), 3000);

        List<ChartedWindow> after = chartedWindows(dom);
        assertThat(after).containsExactlyInAnyOrderElementsOf(newestInTable(RECENT_WINDOWS))
                .contains(new ChartedWindow(1, last.toString(), 21, 13), new ChartedWindow(2, next.toString(), 4, 3))
                .doesNotContain(new ChartedWindow(1, last.toString(), 12, 8));
        assertThat(rows(dom, "data-shard")).contains(Map.entry("shardId-000000000000", "45000"));
        assertThat(rows(dom, "data-reason")).isEmpty();
    }

    @Test
    void saysWhatIsMissingBeforeThePipelineHasCreatedTheTables() throws Exception {
        DashboardOptions options = new DashboardOptions(InetAddress.getLoopbackAddress(), 0, RECENT_WINDOWS, Set.of(),
                DashboardOptions.DEFAULT_MAX_ITEMS_READ, Optional.of(aws.nodeModules().resolve(ChartJs.IN_NODE_MODULES)));
        String notYet = AggregateTables.uniqueName("notCreatedYet");
        try (DashboardServer early = DashboardServer.start(options, new AggregatesQuery(dynamo, notYet),
                new RejectCountsQuery(dynamo, notYet + "-rejects", 100), LagSource.NONE, Clock.systemUTC())) {

            String dom = chromium.dumpDom(early.uri(), 3000);

            assertThat(bodyAttributes(dom)).containsEntry("data-chart", "ready");
            assertThat(dom).contains("Not updating: The aggregates table does not exist yet: start the pipeline.",
                    "No quarantine table (" + notYet + "-rejects) yet.", "No event source mapping attached.");
            assertThat(chartedWindows(dom)).isEmpty();
        }
    }

    /** One row of the page's summary of what it charted. */
    record ChartedWindow(long vendorId, String windowStart, long passengers, long trips) {
    }

    /** The newest windows, read from the whole table with a plain Scan (not the dashboard's query). */
    private List<ChartedWindow> newestInTable(int windows) {
        List<ChartedWindow> items = new ArrayList<>();
        AggregateTable.read(dynamo, aggregatesTable).windows().forEach((start, byVendor) -> byVendor.forEach((vendor, t) ->
                items.add(new ChartedWindow(vendor, start, t.passengers(), t.trips()))));
        Set<String> newestStarts = items.stream().map(ChartedWindow::windowStart)
                .sorted(Comparator.reverseOrder()).distinct().limit(windows).collect(Collectors.toSet());
        return items.stream().filter(w -> newestStarts.contains(w.windowStart())).toList();
    }

    private static List<ChartedWindow> chartedWindows(String dom) {
        List<ChartedWindow> charted = new ArrayList<>();
        for (Map<String, String> tr : tags(dom, "tr")) {
            if ("charted-window".equals(tr.get("class"))) {
                charted.add(new ChartedWindow(Long.parseLong(tr.get("data-vendor")), tr.get("data-window-start"),
                        Long.parseLong(tr.get("data-passengers")), Long.parseLong(tr.get("data-trips"))));
            }
        }
        return charted;
    }

    /** Rows of the table whose rows carry {@code keyAttribute}, as key to their count or age, in page order. */
    private static List<Map.Entry<String, String>> rows(String dom, String keyAttribute) {
        List<Map.Entry<String, String>> rows = new ArrayList<>();
        for (Map<String, String> tr : tags(dom, "tr")) {
            if (tr.containsKey(keyAttribute)) {
                String value = tr.containsKey("data-count") ? tr.get("data-count") : tr.get("data-iterator-age-millis");
                rows.add(Map.entry(tr.get(keyAttribute), value));
            }
        }
        return rows;
    }

    private static Map<String, String> bodyAttributes(String dom) {
        List<Map<String, String>> bodies = tags(dom, "body");
        assertThat(bodies).as("the dumped page has a body").hasSize(1);
        return bodies.get(0);
    }

    private static List<Map<String, String>> tags(String dom, String name) {
        List<Map<String, String>> found = new ArrayList<>();
        Matcher tag = TAG.matcher(dom);
        while (tag.find()) {
            if (tag.group(1).equals(name)) {
                Map<String, String> attributes = new LinkedHashMap<>();
                Matcher attribute = ATTRIBUTE.matcher(tag.group(2));
                while (attribute.find()) {
                    attributes.put(attribute.group(1), attribute.group(2));
                }
                found.add(attributes);
            }
        }
        return found;
    }

}
