package dev.kinesisaggs.app.aggregates;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A dynalite for this module's integration tests, started with the machine's node from the emulators'
 * node_modules (KINESISAGGS_NODE_MODULES, or local-aws/npm/node_modules). Stands in until the
 * local-aws module's JUnit extension is on this branch; the test skips, saying why, without one.
 */
public final class TestDynalite implements AutoCloseable {

    private final Process process;
    private final URI endpoint;
    private final DynamoDbClient client;

    private TestDynalite(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.client = DynamoDbClients.create(Optional.of(endpoint), Optional.empty());
    }

    /** The emulators' node_modules directory, or a skipped test saying how to get one. */
    public static Path nodeModules() {
        Optional<Path> found = Stream.of(System.getenv("KINESISAGGS_NODE_MODULES"), System.getProperty("kinesisaggs.nodeModules"),
                        "../local-aws/npm/node_modules")
                .filter(p -> p != null && !p.isBlank())
                .map(Path::of)
                .filter(p -> Files.isRegularFile(p.resolve("dynalite/cli.js")))
                .findFirst();
        Assumptions.assumeTrue(found.isPresent(),
                "No emulators installed: run npm ci in local-aws/npm or set KINESISAGGS_NODE_MODULES; skipping.");
        return found.get().toAbsolutePath();
    }

    public static TestDynalite start() throws IOException, InterruptedException {
        Path modules = nodeModules();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process process = new ProcessBuilder(List.of("node", modules.resolve("dynalite/cli.js").toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    process.destroyForcibly();
                    throw new IOException("dynalite did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
        return new TestDynalite(process, URI.create("http://127.0.0.1:" + port));
    }

    public URI endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        process.destroyForcibly(); // a plain destroy() takes seconds
    }
}
