package dev.kinesisaggs.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.aggregates.AggregatesQuery.RecentWindows;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real HTTP, with its data sources replaced by fixed answers. */
class DashboardServerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);
    private static final WindowAggregate W = WindowAggregate.of(2,
            Instant.parse("2016-01-01T00:00:30Z"), Instant.parse("2016-01-01T00:01:00Z"), 9, 6);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Optional<Instant>> sinceAsked = new ArrayList<>();
    private DashboardServer server;

    @TempDir
    Path dir;

    private DashboardServer start(Optional<Path> chartJs) throws IOException {
        DashboardApi api = new DashboardApi("kinesisAggs",
                since -> {
                    sinceAsked.add(since);
                    return new RecentWindows(List.of(W), true);
                },
                () -> new RejectCounts.Counted(Map.of("MALFORMED_JSON", 3L, "MISSING_FIELD", 1L), 4, true),
                () -> List.of(new ShardLag("shardId-000000000001", 1500, 10, 2, 0, Optional.empty(), Optional.of("4960"))),
                CLOCK);
        DashboardOptions options = new DashboardOptions(InetAddress.getLoopbackAddress(), 0, 10, Set.of(), 100, chartJs);
        server = DashboardServer.start(options, api, CLOCK);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listensOnLoopbackOnAFreePort() throws IOException {
        URI uri = start(Optional.empty()).uri();

        assertThat(uri.getHost()).isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());
        assertThat(uri.getPort()).isPositive();
    }

    @Test
    void servesThePageAndItsScripts() throws Exception {
        start(Optional.empty());

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<canvas id=\"passengers-chart\"", "vendor/chart.umd.js", "dashboard.js");
        assertThat(get("/dashboard.js").body()).contains("setInterval(poll");
        assertThat(get("/dashboard.css").statusCode()).isEqualTo(200);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void servesChartJsFromTheGivenFileAndSaysWhatToDoWhenItIsMissing() throws Exception {
        Path chart = Files.writeString(dir.resolve("chart.umd.js"), "/* chart.js */ window.Chart = function () {};");
        start(Optional.of(chart));
        HttpResponse<String> present = get("/vendor/chart.umd.js");
        assertThat(present.statusCode()).isEqualTo(200);
        assertThat(present.body()).startsWith("/* chart.js */");
        server.close();

        start(Optional.of(dir.resolve("absent.js")));
        HttpResponse<String> absent = get("/vendor/chart.umd.js");
        assertThat(absent.statusCode()).isEqualTo(404);
        assertThat(absent.body()).contains("chart.js is not installed");
    }

    @Test
    void aggregatesEndpointPassesSinceAndAnswersJson() throws Exception {
        start(Optional.empty());

        HttpResponse<String> all = get("/api/aggregates");
        HttpResponse<String> since = get("/api/aggregates?since=2016-01-01T00%3A00%3A30Z");
        HttpResponse<String> relative = get("/api/aggregates?since=-5m");

        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(all.body()).isEqualTo("{\"generatedAt\":\"2026-11-27T12:00:00Z\",\"table\":\"kinesisAggs\",\"complete\":true,"
                + "\"windows\":[{\"vendorId\":2,\"windowStart\":\"2016-01-01T00:00:30Z\",\"windowEnd\":\"2016-01-01T00:01:00Z\","
                + "\"passengers\":9,\"trips\":6}]}");
        assertThat(since.statusCode()).isEqualTo(200);
        assertThat(relative.statusCode()).isEqualTo(200);
        assertThat(sinceAsked).containsExactly(Optional.empty(), Optional.of(Instant.parse("2016-01-01T00:00:30Z")),
                Optional.of(Instant.parse("2026-11-27T11:55:00Z")));
    }

    @Test
    void aBadSinceIsABadRequestWithAMessage() throws Exception {
        start(Optional.empty());

        HttpResponse<String> bad = get("/api/aggregates?since=yesterday");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).startsWith("{\"error\":\"Cannot read the time 'yesterday'");
    }

    @Test
    void rejectsAndLagEndpointsAnswerJson() throws Exception {
        start(Optional.empty());

        assertThat(get("/api/rejects").body()).isEqualTo("{\"generatedAt\":\"2026-11-27T12:00:00Z\",\"status\":\"ok\","
                + "\"total\":4,\"complete\":true,\"byReason\":{\"MALFORMED_JSON\":3,\"MISSING_FIELD\":1}}");
        assertThat(get("/api/lag").body()).isEqualTo("{\"generatedAt\":\"2026-11-27T12:00:00Z\",\"shards\":[{"
                + "\"shardId\":\"shardId-000000000001\",\"iteratorAgeMillis\":1500,\"recordsIn\":10,\"invocations\":2,"
                + "\"failures\":0,\"currentWindow\":null,\"lastCheckpoint\":\"4960\"}]}");
    }

    @Test
    void servesOnlyGet() throws Exception {
        start(Optional.empty());

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/lag"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void closingFreesThePort() throws Exception {
        URI uri = start(Optional.empty()).uri();
        server.close();

        try (java.net.ServerSocket again = new java.net.ServerSocket(uri.getPort(), 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(uri.getPort());
        }
    }
}
