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
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;

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
        return start(chartJs, since -> {
            sinceAsked.add(since);
            return new RecentWindows(List.of(W), true, Set.of(W.windowStart()));
        });
    }

    private DashboardServer start(Optional<Path> chartJs, Function<Optional<Instant>, RecentWindows> aggregates) throws IOException {
        DashboardApi api = new DashboardApi("kinesisAggs", aggregates,
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
                + "\"partialWindows\":[\"2016-01-01T00:00:30Z\"],\"windows\":[{\"vendorId\":2,\"windowStart\":\"2016-01-01T00:00:30Z\",\"windowEnd\":\"2016-01-01T00:01:00Z\","
                + "\"passengers\":9,\"trips\":6,\"partial\":true}]}");
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

    /** A raw HTTP/1.1 request, for headers the JDK's client will not set (Host): the status line and the body. */
    private String[] rawGet(String path, String hostHeader) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), server.uri().getPort())) {
            String request = "GET " + path + " HTTP/1.1\r\n" + (hostHeader == null ? "" : "Host: " + hostHeader + "\r\n")
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return new String[] {response.substring(0, response.indexOf("\r\n")), response.substring(response.indexOf("\r\n\r\n") + 4)};
        }
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.example", "evil.example:8642", "127.0.0.1.nip.io", "localhost.evil.example", "0x7f000001x"})
    void refusesRequestsForAnotherHostNameAsADnsRebindingPageWouldSendThem(String host) throws Exception {
        start(Optional.empty());

        String[] answer = rawGet("/api/aggregates", host);

        assertThat(answer[0]).startsWith("HTTP/1.1 421"); // Misdirected Request (the JDK server sends no reason phrase for it)
        assertThat(answer[1]).startsWith("This dashboard answers requests for localhost or an IP address of this machine only");
        assertThat(answer[1]).doesNotContain("vendorId");
        assertThat(sinceAsked).as("no data read for it").isEmpty();
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"localhost", "LOCALHOST:8642", "localhost.", "127.0.0.1", "127.0.0.1:8642", "[::1]", "[::1]:8642",
            "192.168.1.20:8642"})
    void answersLoopbackNamesAndAddressLiterals(String host) throws Exception {
        start(Optional.empty());

        String[] answer = rawGet("/api/aggregates", host);

        assertThat(answer[0]).isEqualTo("HTTP/1.1 200 OK");
        assertThat(answer[1]).contains("\"vendorId\":2");
    }

    @Test
    void aDynamoDbFailureReachesThePageAsOneSentenceWithoutTheSdksText() throws Exception {
        start(Optional.empty(), since -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connect to secret-host.internal:8000 failed");
        });

        java.util.List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(DashboardServer.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        HttpResponse<String> answer;
        try {
            // the page polls the aggregates, the rejects and the lag together: the same cause again is not logged again,
            // and an answer that did not read DynamoDB (the lag) is no sign that it works again
            answer = get("/api/aggregates");
            assertThat(get("/api/lag").statusCode()).isEqualTo(200);
            get("/api/aggregates");
            assertThat(get("/api/lag").statusCode()).isEqualTo(200);
            get("/api/aggregates");
        } finally {
            log.removeHandler(capture);
        }

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("{\"error\":\"Cannot read DynamoDB; the dashboard's log says why.\"}");
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).getThrown()).as("one line in the log, not a stack trace").isNull();
        assertThat(logged.get(0).getMessage()).startsWith("Cannot read DynamoDB (/api/aggregates): Cannot reach AWS");
    }

    @Test
    void anUnexpectedFailureReachesThePageWithoutItsText() throws Exception {
        start(Optional.empty(), since -> {
            throw new IllegalStateException("internal detail /home/someone/.aws/credentials");
        });

        HttpResponse<String> answer = get("/api/aggregates");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.body()).isEqualTo("{\"error\":\"The dashboard failed; its log says why.\"}");
    }
}
