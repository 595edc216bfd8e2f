package dev.kinesisaggs.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;

/**
 * A DynamoDB endpoint that answers every request at once with an empty success: HTTP 200 and {@code {}}
 * in DynamoDB's JSON protocol (no unprocessed items, no item found, no attributes returned), which the SDK
 * reads as a successful PutItem, BatchWriteItem, GetItem or BatchGetItem. It stores nothing and checks
 * nothing. For measuring only: the function's own cost of a call (building, marshalling, signing, HTTP,
 * reading the answer) is then all that is left, with no emulator's work on the same cores. Never a stand-in
 * for DynamoDB in a test of behaviour.
 */
final class InstantDynamoDb implements AutoCloseable {

    private static final byte[] EMPTY_SUCCESS = "{}".getBytes(StandardCharsets.UTF_8);
    private static final String CRC32_OF_BODY;

    static {
        CRC32 crc = new CRC32();
        crc.update(EMPTY_SUCCESS);
        CRC32_OF_BODY = Long.toString(crc.getValue());
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder requestBytes = new LongAdder();

    private InstantDynamoDb(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Listens on the loopback interface, on a free port. */
    static InstantDynamoDb start() throws IOException {
        // TCP_NODELAY on the server's connections (read once, when the JDK's server first starts): without it the
        // answer's body waits for the client's delayed ACK of its headers, about 40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        // as many threads as the function keeps calls in flight (16), so that no call waits for this side
        ExecutorService threads = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "instant-dynamodb");
            t.setDaemon(true);
            return t;
        });
        InstantDynamoDb endpoint = new InstantDynamoDb(server, threads);
        server.createContext("/", endpoint::answer);
        server.setExecutor(threads);
        server.start();
        return endpoint;
    }

    /**
     * Runs alone, for a measurement in another JVM (the function module's {@code ColdStartBenchmark --dynamodb-endpoint}):
     * prints its endpoint, answers until stopped, then prints the calls it answered.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        InstantDynamoDb endpoint = start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("answered: " + endpoint.calls())));
        System.out.println(endpoint.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }

    URI endpoint() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            try (InputStream body = exchange.getRequestBody()) {
                requestBytes.add(body.transferTo(OutputStream.nullOutputStream()));
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target"); // DynamoDB_20120810.PutItem
            String operation = target == null ? "(none)" : target.substring(target.indexOf('.') + 1);
            calls.computeIfAbsent(operation, o -> new LongAdder()).increment();
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().set("x-amz-crc32", CRC32_OF_BODY);
            exchange.getResponseHeaders().set("x-amzn-RequestId", "instant");
            exchange.sendResponseHeaders(200, EMPTY_SUCCESS.length);
            exchange.getResponseBody().write(EMPTY_SUCCESS);
        }
    }

    /** Calls answered so far, per operation ({@code PutItem}, {@code BatchWriteItem}, ...). */
    Map<String, Long> calls() {
        Map<String, Long> snapshot = new TreeMap<>();
        calls.forEach((operation, count) -> snapshot.put(operation, count.sum()));
        return snapshot;
    }

    long requestBytes() {
        return requestBytes.sum();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
