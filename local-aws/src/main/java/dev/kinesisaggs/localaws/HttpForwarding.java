package dev.kinesisaggs.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * How a request taken in by a JDK {@code HttpServer} in front of an emulator is passed on to the emulator, and its
 * answer passed back: the one copy of it for the fronts of this module (the gate that holds requests while an
 * emulator restarts, the DynamoDB fault proxy).
 */
public final class HttpForwarding {
    /** Headers that belong to one connection, set by each side's own HTTP stack, never copied across. */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "expect",
            "upgrade", "keep-alive");

    private HttpForwarding() {
    }

    /**
     * A JDK HTTP server on the loopback address ({@code port} 0: any free one), its connections with TCP_NODELAY.
     * Without it, an answer's body waits for the client's delayed ACK of its headers: 49 ms per PutItem through a
     * front, against 2.5 to 3.5 ms straight to dynalite (1 ms more with it). The JDK reads the switch once, when its
     * first server starts: a JVM that started one before without it keeps that setting.
     */
    public static HttpServer newServer(int port, int backlog) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    }

    /**
     * The client of one front: the SDK's Apache client, pooled and blocking. The JDK's own HttpClient cost the
     * function a third of its throughput through a front in a demo at 1,000 trips/s (its calls hop between its
     * selector thread and an executor), which a sequential benchmark did not show.
     */
    public static SdkHttpClient newClient() {
        return Apache5HttpClient.builder()
                .maxConnections(128)
                .connectionTimeout(Duration.ofSeconds(5))
                // the SDK clients here wait 60 s for an answer
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** What the emulator answered. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /** Sends the exchange's request, with {@code body} in place of its own, to the same path on {@code target}. */
    public static Answer forward(SdkHttpClient client, URI target, HttpExchange exchange, byte[] body) throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .uri(target.resolve(exchange.getRequestURI().toString()))
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> request.appendHeader(name, v));
            }
        });
        request.putHeader("Content-Length", Integer.toString(body.length));
        HttpExecuteResponse response = client.prepareRequest(HttpExecuteRequest.builder()
                .request(request.build())
                .contentStreamProvider(() -> new ByteArrayInputStream(body))
                .build()).call();
        byte[] answer;
        if (response.responseBody().isPresent()) {
            try (InputStream in = response.responseBody().get()) {
                answer = in.readAllBytes();
            }
        } else {
            answer = new byte[0];
        }
        return new Answer(response.httpResponse().statusCode(), response.httpResponse().headers(), answer);
    }

    /**
     * Answers the exchange. A body changed on the way gets its {@code x-amz-crc32} recomputed ({@code recomputeChecksum}),
     * since the SDK checks it.
     */
    public static void respond(HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body,
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
}
