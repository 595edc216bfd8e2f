package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A front for one emulator, on the port its clients know: it passes the bytes of every connection on to the
 * emulator and back, and holds new requests while the emulator is replaced ({@link #replace}). To every client (the
 * SDK's, a function's, the dashboard's) a restart is one slow answer, not "connection refused" that each would have
 * to survive on its own; their keep-alive connections stay open across it.
 *
 * <p>It copies bytes rather than HTTP messages, so that it costs the clients little: it reads only where each answer
 * ends ({@link ResponseFraming}). A connection has a request in flight from its first byte until the answer's last;
 * the clients do not pipeline, so the next bytes a client sends after an answer begin its next request. That is
 * where a request waits while the emulator is replaced, and a replacement waits until no connection has a request
 * in flight. (An HTTP front built on the JDK's server and an HTTP client cost the function a fifth to a third of its
 * throughput in a demo at 1,000 trips/s.)
 */
final class EmulatorGate implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    /**
     * A connection to the emulator idle this long is replaced before the next request rather than reused: node closes
     * an idle keep-alive connection after 5 s, and a request sent as it does would be lost with it.
     */
    private static final long IDLE_NANOS = 2_000_000_000L;
    /**
     * How long a replacement waits for the requests in flight: an answer that never ends (an emulator that hangs, a
     * client that stops reading) must not hold every other client for ever. Those still in flight then have their
     * connections closed, as if the emulator had died under them.
     */
    private static final long IN_FLIGHT_NANOS = 30_000_000_000L;

    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Guards {@link #holding}, and is waited on by requests held. */
    private final Object hold = new Object();
    private boolean holding;
    private volatile InetSocketAddress target;
    private volatile boolean closed;

    private EmulatorGate(ServerSocket server, URI target) {
        this.server = server;
        this.target = address(target);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-aws-gate-" + server.getLocalPort());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::accept);
    }

    /** A gate on {@code port} of the loopback address (0: any free one) in front of the emulator at {@code target}. */
    static EmulatorGate start(int port, URI target, String name) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            try {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
            } catch (IOException e) {
                server.close();
                throw e;
            }
            return new EmulatorGate(server, target);
        } catch (BindException e) {
            throw new PortTakenException(port, name);
        } catch (IOException e) {
            throw new LocalAwsException("Could not open a port for the " + name + " emulator (" + e.getMessage()
                    + "): check the machine's loopback interface.", e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * Holds new requests, waits until those in flight are answered, runs {@code replacement} (which ends the emulator,
     * starts another and returns where it answers), then lets the requests through to it. Should the replacement fail,
     * the gate goes on pointing at the old address, whose failures the clients then see (their connections closed).
     */
    void replace(Supplier<URI> replacement) {
        synchronized (hold) {
            if (closed) {
                throw new IllegalStateException("the gate is closed");
            }
            holding = true;
        }
        try {
            long deadline = System.nanoTime() + IN_FLIGHT_NANOS;
            while (connections.stream().anyMatch(c -> c.inFlight)) {
                if (System.nanoTime() - deadline > 0) {
                    connections.stream().filter(c -> c.inFlight).forEach(Connection::end);
                    break;
                }
                sleep();
            }
            URI next = replacement.get();
            // the emulator's side of each connection led to the process that was ended; the next request opens another
            connections.forEach(Connection::dropEmulatorSide);
            target = address(next);
        } finally {
            synchronized (hold) {
                holding = false;
                hold.notifyAll();
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Connection connection = new Connection(client);
                connections.add(connection);
                try {
                    threads.execute(connection::fromClient);
                } catch (RejectedExecutionException closedMeanwhile) {
                    connection.end();
                }
            } catch (IOException e) {
                if (!closed) {
                    sleep(); // e.g. out of file descriptors: try again rather than stop serving
                }
            }
        }
    }

    /** One client connection, and the connection to the emulator that serves it (opened when a request needs it). */
    private final class Connection {
        final Socket client;
        final ResponseFraming framing = new ResponseFraming();
        volatile Socket emulator;
        volatile boolean inFlight;
        volatile long answeredNanos = System.nanoTime();

        Connection(Socket client) {
            this.client = client;
        }

        /** The client's bytes, to the emulator: the first of each request waits while the gate holds. */
        void fromClient() {
            byte[] buffer = new byte[BUFFER];
            try (client) {
                InputStream in = client.getInputStream();
                Socket to = null;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (!inFlight || to == null) {
                        to = beginRequest();
                    }
                    to.getOutputStream().write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // the client went away, or the emulator did (the client learns it from its connection being closed)
            } finally {
                end();
            }
        }

        /** Waits while the gate holds; returns the connection to the emulator this request goes to. */
        private Socket beginRequest() throws IOException, InterruptedException {
            synchronized (hold) {
                while (holding) {
                    hold.wait();
                }
                inFlight = true;
            }
            Socket socket = emulator;
            if (socket != null && System.nanoTime() - answeredNanos > IDLE_NANOS) {
                dropEmulatorSide();
                socket = null;
            }
            if (socket == null) {
                Socket fresh = new Socket();
                try {
                    fresh.setTcpNoDelay(true);
                    fresh.connect(target, 5_000);
                    synchronized (this) {
                        emulator = fresh;
                    }
                    threads.execute(() -> toClient(fresh));
                } catch (IOException | RuntimeException e) {
                    closeQuietly(fresh);
                    throw e;
                }
                socket = fresh;
            }
            return socket;
        }

        /** The emulator's bytes, to the client: an answer's last byte ends the request in flight. */
        void toClient(Socket socket) {
            byte[] buffer = new byte[BUFFER];
            try {
                InputStream in = socket.getInputStream();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    // before the bytes reach the client, which may send its next request as soon as it has them
                    if (framing.feed(buffer, 0, n) > 0 && framing.idle()) {
                        answeredNanos = System.nanoTime();
                        inFlight = false;
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException | RuntimeException e) {
                // the emulator's side closed under an answer, or the client's: below
            }
            synchronized (this) {
                if (emulator != socket) {
                    // dropped on purpose (idle, or its emulator replaced): whatever is in flight now is another socket's
                    closeQuietly(socket);
                    return;
                }
                if (!inFlight && !framing.endsAtClose()) {
                    emulator = null; // an idle keep-alive connection the emulator closed: the next request opens another
                    closeQuietly(socket);
                    return;
                }
            }
            // the emulator went away in the middle of an answer (or ends it so): so must the client's connection
            end();
        }

        void dropEmulatorSide() {
            Socket socket;
            synchronized (this) {
                socket = emulator;
                emulator = null;
            }
            closeQuietly(socket);
        }

        void end() {
            inFlight = false;
            connections.remove(this);
            closeQuietly(client);
            dropEmulatorSide();
        }
    }

    private static InetSocketAddress address(URI endpoint) {
        return new InetSocketAddress(endpoint.getHost(), endpoint.getPort());
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing to do about it
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for requests in flight", e);
        }
    }

    @Override
    public void close() {
        synchronized (hold) {
            closed = true;
            hold.notifyAll();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.forEach(Connection::end);
        threads.shutdownNow();
    }
}
