package dev.kinesisaggs.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * An HTTP front for one emulator, on the port its clients know. It passes every request on to the emulator, and
 * holds them while the emulator is replaced ({@link #replace}): to every client (the SDK's, a function's, the
 * dashboard's) a restart is one slow answer, not "connection refused" that each would have to survive on its own.
 */
final class EmulatorGate implements AutoCloseable {
    /** The ReadWriteLock is fair: a replacement waiting for the requests in flight holds back those that come after it. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
    private final HttpServer server;
    private final ExecutorService threads;
    private volatile URI target;
    private volatile SdkHttpClient client;

    private EmulatorGate(HttpServer server, URI target) {
        this.server = server;
        this.target = target;
        this.client = HttpForwarding.newClient();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-aws-gate-" + server.getAddress().getPort());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A gate on {@code port} of the loopback address (0: any free one) in front of the emulator at {@code target}. */
    static EmulatorGate start(int port, URI target, String name) {
        try {
            return new EmulatorGate(HttpForwarding.newServer(port, 256), target);
        } catch (BindException e) {
            throw EmulatorLaunch.portTaken(port, name);
        } catch (IOException e) {
            throw new LocalAwsException("Could not open a port for the " + name + " emulator (" + e.getMessage()
                    + "): check the machine's loopback interface.", e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * Holds new requests, waits until those in flight are answered, runs {@code replacement} (which ends the emulator,
     * starts another and returns where it answers), then lets the requests through to it. Should the replacement fail,
     * the gate goes on pointing at the old address, whose failures the clients then see.
     */
    void replace(Supplier<URI> replacement) {
        lock.writeLock().lock();
        try {
            URI next = replacement.get();
            // the old client's pooled connections lead to the ended process
            SdkHttpClient old = client;
            client = HttpForwarding.newClient();
            target = next;
            old.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpForwarding.Answer answer;
            lock.readLock().lock();
            try {
                answer = HttpForwarding.forward(client, target, exchange, body);
            } finally {
                lock.readLock().unlock();
            }
            HttpForwarding.respond(exchange, answer.status(), answer.headers(), answer.body(), false);
        } catch (IOException | RuntimeException e) {
            if (exchange.getResponseCode() == -1) {
                // 502, which every SDK retries: the emulator did not answer (it died, or its replacement did not start)
                HttpForwarding.respond(exchange, 502, Map.of("Content-Type", List.of("text/plain")),
                        ("the emulator behind this port did not answer: " + e).getBytes(StandardCharsets.UTF_8), false);
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        client.close();
    }
}
