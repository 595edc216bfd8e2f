package dev.kinesisaggs.localaws.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * DynamoDB's failures on top of real calls, for a process we cannot reach into (a function in an
 * execution environment, a command run as a user runs it): an HTTP proxy in front of the emulator,
 * to which the SDK is pointed ({@code AWS_ENDPOINT_URL_DYNAMODB}). Every request goes to the
 * emulator, except what a fault takes out or answers in its place:
 * <ul>
 *   <li>{@link #withhold}: BatchWriteItem items whose key matches are taken out of the real request
 *       and handed back as {@code UnprocessedItems}, so they are really not written; and BatchExecuteStatement
 *       INSERTs of such items are taken out and answered with the statement's throttling error
 *       ({@code ProvisionedThroughputExceeded}), the others forwarded;</li>
 *   <li>{@link #throttle}: calls of an operation answered with DynamoDB's own throttling error
 *       (HTTP 400, {@code ProvisionedThroughputExceededException}), without reaching the emulator;</li>
 *   <li>{@link #delay}: calls of an operation held before they are forwarded (a call that hangs until
 *       the client's timeout).</li>
 * </ul>
 * A changed response gets its {@code x-amz-crc32} recomputed, since the SDK checks it.
 */
public final class DynamoDbFaultProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "expect",
            "upgrade", "keep-alive");
    /** An attribute's name in an INSERT's item, each followed by its parameter: {@code 'id': ?}. */
    private static final Pattern INSERTED_NAME = Pattern.compile("'([^']*)'\\s*:\\s*\\?");
    private static final String THROUGHPUT_EXCEEDED = "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";

    private final URI target;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient client;
    private volatile Predicate<String> withheld = key -> false;
    private final Map<String, Predicate<Integer>> throttled = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger withheldItems = new AtomicInteger();
    private final AtomicInteger throttledCalls = new AtomicInteger();
    /** The clients' ends of the connections served: one address (with its port) per connection. */
    private final Set<InetSocketAddress> clientConnections = ConcurrentHashMap.newKeySet();

    private DynamoDbFaultProxy(URI target) throws IOException {
        this.target = target;
        // TCP_NODELAY on the server's connections (the JDK reads the switch once, when its first server starts): without
        // it an answer's body waits for the client's delayed ACK of its headers, about 45 ms per call (49 ms per PutItem
        // through a proxy, against 2.3 to 3.9 ms straight to dynalite)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dynamodb-fault-proxy");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of the DynamoDB endpoint {@code target}, on a free loopback port. */
    public static DynamoDbFaultProxy start(URI target) {
        try {
            return new DynamoDbFaultProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the DynamoDB fault proxy: " + e.getMessage(), e);
        }
    }

    /** Point the SDK here. */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    /**
     * Leaves BatchWriteItem items whose key (the string attribute {@code id} or {@code recordId}) matches unprocessed, and
     * throttles the INSERTs of such items in a BatchExecuteStatement.
     */
    public DynamoDbFaultProxy withhold(Predicate<String> keys) {
        this.withheld = keys;
        return this;
    }

    /** Throttles the calls of {@code operation} (e.g. "BatchWriteItem") whose number (1, 2, ... per operation) matches. */
    public DynamoDbFaultProxy throttle(String operation, Predicate<Integer> callNumbers) {
        throttled.put(operation, callNumbers);
        return this;
    }

    /** Holds every call of {@code operation} this long before forwarding it. */
    public DynamoDbFaultProxy delay(String operation, Duration hold) {
        delays.put(operation, hold);
        return this;
    }

    /** Removes every fault: from now on the proxy only forwards. */
    public DynamoDbFaultProxy heal() {
        withheld = key -> false;
        throttled.clear();
        delays.clear();
        return this;
    }

    public int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    public int withheldItems() {
        return withheldItems.get();
    }

    public int throttledCalls() {
        return throttledCalls.get();
    }

    /** How many connections the clients opened to the proxy so far (each has its own port on the client's side). */
    public int connectionsOpened() {
        return clientConnections.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            clientConnections.add(exchange.getRemoteAddress());
            byte[] body = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            int number = calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            Duration hold = delays.get(operation);
            if (hold != null) {
                sleep(hold);
            }
            Predicate<Integer> throttle = throttled.get(operation);
            if (throttle != null && throttle.test(number)) {
                throttledCalls.incrementAndGet();
                respond(exchange, 400, Map.of("Content-Type", List.of("application/x-amz-json-1.0")),
                        ("{\"__type\":\"" + THROUGHPUT_EXCEEDED + "\",\"message\":\"The level of configured provisioned throughput for the"
                                + " table was exceeded (injected by the fault proxy)\"}").getBytes(StandardCharsets.UTF_8), true);
                return;
            }
            ObjectNode taken = null;
            if (operation.equals("BatchWriteItem")) {
                ObjectNode request = (ObjectNode) JSON.readTree(body);
                taken = takeWithheld(request);
                if (taken != null && request.path("RequestItems").isEmpty()) {
                    // every item withheld: nothing to forward (DynamoDB refuses an empty request), all unprocessed
                    ObjectNode all = JSON.createObjectNode();
                    all.set("UnprocessedItems", taken);
                    respond(exchange, 200, Map.of("Content-Type", List.of("application/x-amz-json-1.0")), JSON.writeValueAsBytes(all), true);
                    return;
                }
                if (taken != null) {
                    body = JSON.writeValueAsBytes(request);
                }
            }
            List<Integer> throttledStatements = List.of();
            int statementCount = 0;
            if (operation.equals("BatchExecuteStatement")) {
                ObjectNode request = (ObjectNode) JSON.readTree(body);
                statementCount = request.path("Statements").size();
                throttledStatements = takeWithheldStatements(request);
                if (!throttledStatements.isEmpty() && request.path("Statements").isEmpty()) {
                    byte[] all = withThrottledStatements(JSON.createObjectNode().putArray("Responses"), throttledStatements, statementCount);
                    respond(exchange, 200, Map.of("Content-Type", List.of("application/x-amz-json-1.0")), all, true);
                    return;
                }
                if (!throttledStatements.isEmpty()) {
                    body = JSON.writeValueAsBytes(request);
                }
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            byte[] answer = response.body();
            boolean changed = false;
            if (taken != null && response.statusCode() == 200) {
                answer = withUnprocessed(answer, taken);
                changed = true;
            }
            if (!throttledStatements.isEmpty() && response.statusCode() == 200) {
                answer = withThrottledStatements((ArrayNode) JSON.readTree(answer).path("Responses"), throttledStatements, statementCount);
                changed = true;
            }
            respond(exchange, response.statusCode(), response.headers().map(), answer, changed);
        } catch (IOException | RuntimeException e) {
            respond(exchange, 500, Map.of("Content-Type", List.of("application/x-amz-json-1.0")),
                    ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"fault proxy: "
                            + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8), true);
        }
    }

    /** Takes the withheld items out of the request: table name to the write requests taken; null when none is. */
    private ObjectNode takeWithheld(ObjectNode request) {
        ObjectNode taken = JSON.createObjectNode();
        JsonNode items = request.get("RequestItems");
        if (items == null) {
            return null;
        }
        Iterator<Map.Entry<String, JsonNode>> tables = items.fields();
        while (tables.hasNext()) {
            Map.Entry<String, JsonNode> table = tables.next();
            ArrayNode writes = (ArrayNode) table.getValue();
            for (int i = writes.size() - 1; i >= 0; i--) {
                JsonNode item = writes.get(i).path("PutRequest").path("Item");
                String key = item.path("id").path("S").asText(item.path("recordId").path("S").asText(null));
                if (key != null && withheld.test(key)) {
                    ArrayNode list = taken.has(table.getKey()) ? (ArrayNode) taken.get(table.getKey()) : taken.putArray(table.getKey());
                    list.insert(0, writes.remove(i));
                    withheldItems.incrementAndGet();
                }
            }
            if (writes.isEmpty()) {
                tables.remove();
            }
        }
        return taken.isEmpty() ? null : taken;
    }

    /** Takes the INSERTs of withheld items out of a BatchExecuteStatement: their positions in the request as sent. */
    private List<Integer> takeWithheldStatements(ObjectNode request) {
        JsonNode statements = request.path("Statements");
        List<Integer> positions = new ArrayList<>();
        for (int i = statements.size() - 1; i >= 0; i--) {
            JsonNode statement = statements.get(i);
            int k = keyParameter(statement.path("Statement").asText());
            String key = k < 0 ? null : statement.path("Parameters").path(k).path("S").asText(null);
            if (key != null && withheld.test(key)) {
                ((ArrayNode) statements).remove(i);
                positions.add(0, i);
                withheldItems.incrementAndGet();
            }
        }
        return positions;
    }

    /**
     * Which parameter of an {@code INSERT INTO "t" VALUE {'name': ?, ...}} holds the item's key (the attribute named
     * {@code id} or {@code recordId}, as the project's tables have it): its index, or -1. For fault injection on the
     * wire (here) and in the SDK's pipeline (the function's tests).
     */
    public static int keyParameter(String statement) {
        Matcher names = INSERTED_NAME.matcher(statement);
        for (int k = 0; names.find(); k++) {
            if (names.group(1).equals("id") || names.group(1).equals("recordId")) {
                return k;
            }
        }
        return -1;
    }

    /** The answers of the statements forwarded, with a throttling error at each position taken out. */
    private static byte[] withThrottledStatements(ArrayNode forwarded, List<Integer> throttled, int count) throws IOException {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode all = response.putArray("Responses");
        int next = 0;
        for (int i = 0; i < count; i++) {
            if (throttled.contains(i)) {
                all.addObject().putObject("Error").put("Code", "ProvisionedThroughputExceeded")
                        .put("Message", "The level of configured provisioned throughput for the table was exceeded (injected by the fault proxy)");
            } else {
                all.add(forwarded.get(next++));
            }
        }
        return JSON.writeValueAsBytes(response);
    }

    private static byte[] withUnprocessed(byte[] answer, ObjectNode taken) throws IOException {
        ObjectNode response = (ObjectNode) JSON.readTree(answer);
        ObjectNode unprocessed = response.has("UnprocessedItems") && response.get("UnprocessedItems").isObject()
                ? (ObjectNode) response.get("UnprocessedItems") : response.putObject("UnprocessedItems");
        taken.fields().forEachRemaining(e -> {
            ArrayNode list = unprocessed.has(e.getKey()) ? (ArrayNode) unprocessed.get(e.getKey()) : unprocessed.putArray(e.getKey());
            list.addAll((ArrayNode) e.getValue());
        });
        return JSON.writeValueAsBytes(response);
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body,
                                boolean recomputeChecksum) throws IOException {
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase();
            if (!HOP_BY_HOP.contains(lower) && !lower.equals(":status") && !(recomputeChecksum && lower.equals("x-amz-crc32"))) {
                values.forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
        });
        if (recomputeChecksum) {
            CRC32 crc = new CRC32();
            crc.update(body);
            exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
