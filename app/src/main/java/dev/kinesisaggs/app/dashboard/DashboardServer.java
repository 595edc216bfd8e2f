package dev.kinesisaggs.app.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kinesisaggs.app.AwsErrors;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.TimeBound;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The live dashboard: one static page and three JSON endpoints that the page polls, on the JDK's own
 * HTTP server with two threads. Each request's reads are bounded ({@link DashboardOptions#maxItemsRead()}); a request
 * for another host name is refused ({@link ServedHosts}), and errors reach the page as one sentence, their details
 * the log.
 *
 * <ul>
 *   <li>{@code GET /}: the page (HTML, JS and CSS from this package's resources)</li>
 *   <li>{@code GET /vendor/chart.umd.js}: chart.js, served from the node_modules that local-aws installs</li>
 *   <li>{@code GET /api/aggregates?since=ISO}: the newest windows (all vendors) at or after since</li>
 *   <li>{@code GET /api/rejects}: quarantined records by reason</li>
 *   <li>{@code GET /api/lag}: the event source mapping's shards, with their iterator age</li>
 * </ul>
 */
public final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    /** The last DynamoDB failure logged, so that a poll failing the same way again is not logged again. */
    private volatile String lastReadFailure;
    private static final String RESOURCES = "/dev/kinesisaggs/app/dashboard/";
    private static final Map<String, String> PAGE_FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/dashboard.js", "dashboard.js",
            "/dashboard.css", "dashboard.css");

    private final HttpServer server;
    private final ExecutorService threads;
    private final DashboardApi api;
    private final Optional<Path> chartJs;
    private final Clock clock;

    private DashboardServer(HttpServer server, ExecutorService threads, DashboardApi api, Optional<Path> chartJs,
                            Clock clock) {
        this.server = server;
        this.threads = threads;
        this.api = api;
        this.chartJs = chartJs;
        this.clock = clock;
    }

    /** Starts listening; {@link #uri()} says where. Close it to stop. */
    public static DashboardServer start(DashboardOptions options, AggregatesQuery aggregates, RejectCountsQuery rejects,
                                        LagSource lag, Clock clock) throws IOException {
        return start(options, DashboardApi.of(aggregates, rejects, lag, options, clock), clock);
    }

    static DashboardServer start(DashboardOptions options, DashboardApi api, Clock clock) throws IOException {
        // TCP_NODELAY, as every server of this program sets it before it starts: the JDK reads the switch once, when its
        // first server starts, and the Lambda Runtime API's server in this JVM needs it (RuntimeApiServer says why)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http = HttpServer.create(new InetSocketAddress(options.bindAddress(), options.port()), 16);
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dashboard-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        DashboardServer dashboard = new DashboardServer(http, threads, api, options.chartJs(), clock);
        http.createContext("/", dashboard::handle);
        http.start();
        LOG.info("Dashboard at {}", dashboard.uri());
        return dashboard;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8642/}. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + address.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (!ServedHosts.serves(host)) {
                send(exchange, 421, "text/plain", "This dashboard answers requests for localhost or an IP address of this"
                        + " machine only, not for '" + ServedHosts.printable(host) + "'.\n");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "Only GET is served here.\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/api/aggregates" -> {
                    aggregates(exchange);
                    lastReadFailure = null; // DynamoDB answered: its next failure is news
                }
                case "/api/rejects" -> {
                    json(exchange, 200, api.rejects());
                    lastReadFailure = null;
                }
                case "/api/lag" -> json(exchange, 200, api.lag());
                case "/vendor/chart.umd.js" -> chartJs(exchange);
                default -> page(exchange, path);
            }
        } catch (ResourceNotFoundException e) {
            LOG.debug("table missing", e);
            json(exchange, 503, DashboardApi.error("The aggregates table does not exist yet: start the pipeline."));
        } catch (SdkException e) {
            // the SDK's text may name endpoints, accounts or keys' ids: it goes to the log, not to the page
            // one line per new cause, not a stack trace per poll (the page asks every few seconds); the trace at debug
            String why = AwsErrors.sentence(e).orElse(String.valueOf(e.getMessage()));
            if (!why.equals(lastReadFailure)) {
                LOG.warn("Cannot read DynamoDB ({}): {}", exchange.getRequestURI().getPath(), why);
                lastReadFailure = why;
            }
            LOG.debug("DynamoDB read failed for {}", exchange.getRequestURI(), e);
            json(exchange, 503, DashboardApi.error("Cannot read DynamoDB; the dashboard's log says why."));
        } catch (RuntimeException e) {
            // the HTTP server would drop the connection with no answer; the page shows this message instead
            LOG.warn("Dashboard request {} failed", exchange.getRequestURI(), e);
            json(exchange, 500, DashboardApi.error("The dashboard failed; its log says why."));
        } finally {
            exchange.close();
        }
    }

    private void aggregates(HttpExchange exchange) throws IOException {
        Optional<String> since = queryParameter(exchange.getRequestURI(), "since");
        Optional<Instant> from;
        try {
            from = since.map(s -> TimeBound.parse(s, clock));
        } catch (IllegalArgumentException e) {
            json(exchange, 400, DashboardApi.error(e.getMessage()));
            return;
        }
        json(exchange, 200, api.aggregates(from));
    }

    private void chartJs(HttpExchange exchange) throws IOException {
        if (chartJs.isEmpty() || !Files.isRegularFile(chartJs.get())) {
            send(exchange, 404, "text/plain", "chart.js is not installed: run the emulators' installer (local-aws) first.\n");
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "max-age=3600");
        send(exchange, 200, "text/javascript; charset=utf-8", Files.readAllBytes(chartJs.get()));
    }

    private void page(HttpExchange exchange, String path) throws IOException {
        String file = PAGE_FILES.get(path);
        if (file == null) {
            send(exchange, 404, "text/plain", "Not found.\n");
            return;
        }
        String type = file.endsWith(".html") ? "text/html; charset=utf-8"
                : file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        try (InputStream in = DashboardServer.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("resource missing from the jar: " + file));
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, 200, type, in.readAllBytes());
        }
    }

    static Optional<String> queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name) && eq >= 0) {
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return value.isBlank() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, status, "application/json; charset=utf-8", body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
