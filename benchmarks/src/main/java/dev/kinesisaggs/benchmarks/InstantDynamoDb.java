package dev.kinesisaggs.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A DynamoDB endpoint that answers every request at once with an empty success: HTTP 200 and {@code {}}
 * in DynamoDB's JSON protocol (no unprocessed items, no item found, no attributes returned), which the SDK
 * reads as a successful PutItem, BatchWriteItem, GetItem or BatchGetItem, and a success for each statement of a
 * BatchExecuteStatement (as the function's priming client, OfflineDynamoDb, answers; that class is not on this
 * JVM's class path, which runs the function in environments of their own). It stores nothing and checks
 * nothing. For measuring only: the function's own cost of a call (building, marshalling, signing, HTTP,
 * reading the answer) is then all that is left, with no emulator's work on the same cores. Never a stand-in
 * for DynamoDB in a test of behaviour.
 *
 * <p>With TLS ({@link #startTls}), as DynamoDB is reached on AWS: a self-signed RSA 2048 certificate for 127.0.0.1,
 * made by the JDK's {@code keytool}, in a PKCS12 file that the function's JVM is given as its trust store. One
 * certificate, not AWS's chain of three, so a handshake here costs the client a little less than on AWS.
 */
final class InstantDynamoDb implements AutoCloseable {

    private static final String TRUST_STORE_PASSWORD = "instant";
    private static final String THREAD_NAME = "instant-dynamodb";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder requestBytes = new LongAdder();
    /** The clients' ends of the connections served: one address (with its port) per connection. */
    private final Set<InetSocketAddress> clientConnections = ConcurrentHashMap.newKeySet();
    private final Path trustStore;
    /** How long each answer waits, as DynamoDB's round trip would on AWS; zero answers at once. */
    private volatile long latencyNanos;

    private InstantDynamoDb(HttpServer server, ExecutorService threads, Path trustStore) {
        this.server = server;
        this.threads = threads;
        this.trustStore = trustStore;
    }

    /** Listens on the loopback interface, on a free port, over plain HTTP. */
    static InstantDynamoDb start() throws IOException {
        return start(null);
    }

    /**
     * Listens over HTTPS, with a certificate made now in {@code directory}; {@link #trustStoreOptions()} is what a
     * client JVM needs to trust it.
     */
    static InstantDynamoDb startTls(Path directory) throws Exception {
        Path keyStore = directory.resolve("instant-dynamodb.p12");
        Files.deleteIfExists(keyStore);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "instant", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", TRUST_STORE_PASSWORD)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool could not make a certificate: " + output.strip());
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, TRUST_STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, TRUST_STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return start(new Tls(tls, keyStore));
    }

    private static InstantDynamoDb start(Tls tls) throws IOException {
        // TCP_NODELAY on the server's connections (read once, when the JDK's server first starts): without it the
        // answer's body waits for the client's delayed ACK of its headers, about 40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, 64);
        } else {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
            server = https;
        }
        // more threads than the function keeps calls in flight, so that no call waits for this side
        ExecutorService threads = Executors.newFixedThreadPool(128, r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        InstantDynamoDb endpoint = new InstantDynamoDb(server, threads, tls == null ? null : tls.trustStore());
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
        return URI.create((trustStore == null ? "http://" : "https://") + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    /**
     * Holds each answer this long before sending it, as a real DynamoDB's round trip would (a few ms within a region):
     * the function's calls in flight then bound its rate, which an endpoint that answers at once hides.
     */
    void latency(Duration latency) {
        this.latencyNanos = latency.toNanos();
    }

    /** The system properties that make a client JVM trust this endpoint's certificate; empty over plain HTTP. */
    String trustStoreOptions() {
        return trustStore == null ? "" : "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStoreType=PKCS12"
                + " -Djavax.net.ssl.trustStorePassword=" + TRUST_STORE_PASSWORD;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            clientConnections.add(exchange.getRemoteAddress());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requestBytes.add(body.length);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target"); // DynamoDB_20120810.PutItem
            String operation = target == null ? "(none)" : target.substring(target.indexOf('.') + 1);
            byte[] answer = emptySuccess(operation, body);
            calls.computeIfAbsent(operation, o -> new LongAdder()).increment();
            if (latencyNanos > 0) {
                LockSupport.parkNanos(latencyNanos);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            CRC32 crc = new CRC32();
            crc.update(answer);
            exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
            exchange.getResponseHeaders().set("x-amzn-RequestId", "instant");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** {@code {}}, or for a BatchExecuteStatement an empty success per statement. */
    private static byte[] emptySuccess(String operation, byte[] requestBody) {
        String body = new String(requestBody, StandardCharsets.UTF_8);
        if (!operation.equals("BatchExecuteStatement")) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        StringJoiner answers = new StringJoiner(",", "{\"Responses\":[", "]}");
        // the SDK writes each statement as {"Statement":"..."; a quote inside a value is escaped (\")
        for (int at = body.indexOf("{\"Statement\":"); at >= 0; at = body.indexOf("{\"Statement\":", at + 1)) {
            answers.add("{}");
        }
        return answers.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * CPU time of this process so far less that of the endpoint's threads (its pool and the HTTP server's dispatcher):
     * what the clients in this process spent, which is what a function pays for.
     */
    double clientCpuMs() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double endpointMs = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith(THREAD_NAME) || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
                endpointMs += Math.max(0, threads.getThreadCpuTime(info.getThreadId())) / 1e6;
            }
        }
        double processMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
        return processMs - endpointMs;
    }

    /** Calls answered so far, per operation ({@code PutItem}, {@code BatchWriteItem}, ...). */
    Map<String, Long> calls() {
        Map<String, Long> snapshot = new TreeMap<>();
        calls.forEach((operation, count) -> snapshot.put(operation, count.sum()));
        return snapshot;
    }

    /** Connections the clients opened so far. */
    long connections() {
        return clientConnections.size();
    }

    long requestBytes() {
        return requestBytes.sum();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private record Tls(SSLContext context, Path trustStore) {
    }
}
