package dev.kinesisaggs.esm.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kinesisaggs.esm.invocation.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API of one execution environment, as the runtime client speaks it (HTTP/1.1
 * on loopback, {@code AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT}):
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: blocks until an invocation is offered, then
 *       answers with the event as the body and the headers {@code Lambda-Runtime-Aws-Request-Id},
 *       {@code -Deadline-Ms}, {@code -Invoked-Function-Arn} and {@code -Trace-Id} (and a
 *       {@code Content-Type}, without which the client's native HTTP code crashes the JVM);</li>
 *   <li>{@code POST .../invocation/{id}/response} and {@code .../invocation/{id}/error}: the answer
 *       (202; an unknown id gets 400, a response over Lambda's 6 MB limit 413 and fails the invocation, and the
 *       error the runtime client then posts for it is taken);</li>
 *   <li>{@code POST .../init/error}: the handler could not be loaded or constructed;</li>
 *   <li>{@code GET .../restore/next} and {@code POST .../restore/error}: SnapStart's path, answered
 *       at once (the local "snapshot" is the initialised JVM itself).</li>
 * </ul>
 * One invocation at a time, as Lambda serves one per execution environment.
 */
final class RuntimeApiServer implements AutoCloseable {

    /** Lambda's limit on a synchronous invocation's response (and request), in bytes. */
    static final int MAX_PAYLOAD_BYTES = 6_291_556;
    private static final String BASE = "/2018-06-01/runtime/";

    /**
     * An invocation offered to the runtime: {@code delivered} completes when the runtime takes it (its
     * invoke phase, and its deadline, begin), {@code answer} when the runtime answers it.
     */
    record Delivery(String requestId, String functionArn, String traceId, Duration timeout, byte[] event,
                    CompletableFuture<Instant> delivered, CompletableFuture<Answer> answer) {
        Delivery(String requestId, String functionArn, String traceId, Duration timeout, byte[] event) {
            this(requestId, functionArn, traceId, timeout, event, new CompletableFuture<>(), new CompletableFuture<>());
        }
    }

    /** What the runtime posted for an invocation, or at init. */
    sealed interface Answer {
        record Response(byte[] body) implements Answer {}

        /**
         * @param platformType the runtime's {@code Lambda-Runtime-Function-Error-Type} header (e.g. {@code Runtime.BadFunctionCode}),
         *                     what Lambda's own log lines name; {@code errorType} is the function's, from the body
         */
        record Error(String errorType, String errorMessage, String platformType) implements Answer {}
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Clock clock;
    private final BlockingQueue<Delivery> offered = new LinkedBlockingQueue<>();
    private final CompletableFuture<Instant> firstNext = new CompletableFuture<>();
    private volatile Delivery current;
    /**
     * The invocation whose response was refused as too large. AWS's runtime client reports a failed response POST as the
     * invocation's error right after (its loop catches it and posts {@code /error}); answered 400, it ended the runtime, and
     * every response over 6 MB cost a cold start. Taken instead: the invocation has already failed with
     * {@code Function.ResponseSizeTooLarge}.
     */
    private volatile String refusedResponse;
    private volatile boolean waitingForNext;
    private volatile Answer.Error initError;
    private volatile boolean closed;

    RuntimeApiServer(Clock clock) throws IOException {
        this.clock = clock;
        // TCP_NODELAY on the server's connections (the JDK reads the switch once, when its first server starts, so every
        // server of this program sets it before it starts): without it the body of each answer (the next event, the 202
        // to a response) waited for the runtime client's delayed ACK of its headers, 88 ms per invocation of a handler
        // that returns at once
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        // one thread may sit in GET /next while another takes a POST
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-runtime-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String hostAndPort() {
        return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Queues an invocation for the runtime's next {@code GET .../next}. */
    void offer(Delivery delivery) {
        offered.add(delivery);
    }

    /** Withdraws an invocation the runtime has not taken yet; false when it was taken already. */
    boolean withdraw(Delivery delivery) {
        return offered.remove(delivery);
    }

    /** Completes when the runtime first asks for an invocation: its init is over. */
    CompletableFuture<Instant> firstNext() {
        return firstNext;
    }

    /** True while the runtime is waiting in {@code GET .../next}: it is alive and ready for an invocation. */
    boolean waitingForNext() {
        return waitingForNext;
    }

    Optional<Answer.Error> initError() {
        return Optional.ofNullable(initError);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                response(exchange, path.substring("invocation/".length(), path.length() - "/response".length()));
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                error(exchange, path.substring("invocation/".length(), path.length() - "/error".length()));
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                initError = readError(exchange, "Runtime.InitError");
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("GET") && path.equals("restore/next")) {
                reply(exchange, 200, "");
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"Unknown resource " + method + " " + path + "\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstNext.complete(clock.instant());
        Delivery d = null;
        waitingForNext = true;
        try {
            while (d == null && !closed) {
                d = offered.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingForNext = false;
        }
        if (d == null) {
            return; // closing: the exchange closes without an answer, and the runtime's loop ends
        }
        Instant now = clock.instant();
        current = d;
        d.delivered().complete(now); // the deadline runs from here, whatever happens to the bytes
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("Lambda-Runtime-Aws-Request-Id", d.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(now.plus(d.timeout()).toEpochMilli()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", d.functionArn());
        headers.add("Lambda-Runtime-Trace-Id", d.traceId());
        exchange.sendResponseHeaders(200, d.event().length == 0 ? -1 : d.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(d.event());
        }
    }

    private void response(HttpExchange exchange, String requestId) throws IOException {
        Delivery d = current;
        if (d == null || !d.requestId().equals(requestId)) {
            reply(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        byte[] body = readAtMost(exchange.getRequestBody(), MAX_PAYLOAD_BYTES + 1);
        Answer answer;
        if (body.length > MAX_PAYLOAD_BYTES) {
            refusedResponse = requestId;
            reply(exchange, 413, "{\"errorMessage\":\"Exceeded maximum allowed payload size (" + MAX_PAYLOAD_BYTES
                    + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
            answer = new Answer.Error("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + MAX_PAYLOAD_BYTES + " bytes).",
                    "Function.ResponseSizeTooLarge");
        } else {
            reply(exchange, 202, "{\"status\":\"OK\"}");
            answer = new Answer.Response(body);
        }
        finish(d, answer);
    }

    private void error(HttpExchange exchange, String requestId) throws IOException {
        Delivery d = current;
        if (d == null && requestId.equals(refusedResponse)) {
            refusedResponse = null;
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            reply(exchange, 202, "{\"status\":\"OK\"}");
            return;
        }
        if (d == null || !d.requestId().equals(requestId)) {
            reply(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        Answer.Error error = readError(exchange, "Unhandled");
        reply(exchange, 202, "{\"status\":\"OK\"}");
        finish(d, error);
    }

    private void finish(Delivery d, Answer answer) {
        current = null;
        d.answer().complete(answer);
    }

    /** The error document ({@code errorMessage}, {@code errorType}); the type header when the body has none. */
    private static Answer.Error readError(HttpExchange exchange, String defaultType) throws IOException {
        byte[] body = readAtMost(exchange.getRequestBody(), MAX_PAYLOAD_BYTES);
        String headerType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String type = headerType != null && !headerType.isBlank() ? headerType : defaultType;
        String message = new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode doc = EventJson.mapper().readTree(body);
            if (doc != null && doc.isObject()) {
                if (doc.hasNonNull("errorType") && !doc.get("errorType").asText().isBlank()) {
                    type = doc.get("errorType").asText();
                }
                message = doc.hasNonNull("errorMessage") ? doc.get("errorMessage").asText() : "";
            }
        } catch (IOException notJson) {
            // the body as text, then
        }
        return new Answer.Error(type, message, headerType != null && !headerType.isBlank() ? headerType : type);
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit);
        in.transferTo(OutputStream.nullOutputStream()); // drain the rest, so that the connection can be reused
        return bytes;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
