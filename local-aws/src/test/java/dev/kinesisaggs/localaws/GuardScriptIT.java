package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The guard script that every emulator runs under, on its own: what it does beside the emulator's code. */
class GuardScriptIT {

    @Test
    void aPromiseThatFailsWithNoOneWaitingIsLoggedAndTheProcessGoesOn() throws Exception {
        Path guard = NodeModules.inUserCache().installation().guardScript();
        String script = "setTimeout(() => Promise.reject(new Error('a clean-up failed')), 50);"
                + "setTimeout(() => { console.log('still serving'); process.exit(0); }, 500);";
        Process node = new ProcessBuilder(List.of(NodeRuntime.node(), "--require", guard.toString(), "-e", script))
                .redirectErrorStream(true).start(); // stdin stays open: the guard's lifeline

        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("kinesis-aggs-guard: a promise failed with no one waiting for it (the emulator goes on):"
                + " Error: a clean-up failed").contains("still serving");
    }

    /**
     * kinesis-local, asked to stop (SIGTERM, with its data to save), closes its server, which waits for every open
     * connection to end: a JVM's idle keep-alive connection held it for the JVM's whole 10 s grace. A server that waits
     * so (node's {@code net.Server.close}) stops at once under the guard, and the client sees its connection end.
     */
    @Test
    void aGracefulStopDoesNotWaitForAClientsIdleConnection() throws Exception {
        Path guard = NodeModules.inUserCache().installation().guardScript();
        // as kinesis-local's server does: half-open connections allowed, its side ended when the client's ends
        String script = "const server = require('net').createServer({ allowHalfOpen: true }, (socket) => {"
                + " socket.on('data', (d) => socket.write(d)); socket.on('end', () => socket.end()); });"
                + "server.listen(0);"
                + "process.on('SIGTERM', () => server.close(() => { console.log('closed'); process.exit(0); }));";
        ProcessBuilder builder = new ProcessBuilder(List.of(NodeRuntime.node(), "--require", guard.toString(), "-e", script))
                .redirectErrorStream(true);
        builder.environment().put("KINESIS_AGGS_GRACEFUL_EXIT", "true");
        Process node = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String listening = out.readLine();
            assertThat(listening).startsWith("kinesis-aggs-guard: listening on ");
            int port = Integer.parseInt(listening.substring(listening.lastIndexOf(' ') + 1));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.getOutputStream().write('x');
                assertThat(client.getInputStream().read()).as("the echo").isEqualTo('x');

                node.toHandle().destroy(); // SIGTERM (the handle leaves our end of its output open), the connection idle

                assertThat(node.waitFor(5, TimeUnit.SECONDS)).as("stopped without waiting for the client").isTrue();
                assertThat(out.readLine()).isEqualTo("closed");
                assertThat(node.exitValue()).isZero();
                assertThat(client.getInputStream().read()).as("the client's connection ended").isEqualTo(-1);
            }
        } finally {
            node.destroyForcibly();
        }
    }
}
