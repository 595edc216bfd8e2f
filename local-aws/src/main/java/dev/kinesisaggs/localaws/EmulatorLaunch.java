package dev.kinesisaggs.localaws;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One emulator being started, until it answers a real API call; a free port lost to another program in the meantime
 * is replaced by a new one.
 */
final class EmulatorLaunch {
    private static final int PORT_RACE_ATTEMPTS = 3;

    private final String name;
    private final int requestedPort;
    private final IntFunction<EmulatorProcess> launcher;
    private final Function<URI, Probe> probe;
    private final List<EmulatorProcess> started;
    private EmulatorProcess process;

    /**
     * Starts the emulator at once.
     *
     * @param name          the API it emulates, for messages ("DynamoDB")
     * @param requestedPort its port, 0 for any free one
     * @param started       where each process started is added (and removed when it is given up), for the caller to
     *                      stop them all should anything fail
     */
    EmulatorLaunch(String name, int requestedPort, IntFunction<EmulatorProcess> launcher, Function<URI, Probe> probe,
            List<EmulatorProcess> started) {
        this.name = name;
        this.requestedPort = requestedPort;
        this.launcher = launcher;
        this.probe = probe;
        this.started = started;
        launch();
    }

    private void launch() {
        int port = requestedPort != 0 ? requestedPort : LocalAws.freePorts.getAsInt();
        process = launcher.apply(port);
        started.add(process);
    }

    /** Waits until the emulator answers; a clear {@link LocalAwsException} when it does not. */
    EmulatorProcess await(Duration timeout, Clock clock) {
        for (int attempt = 1; ; attempt++) {
            Readiness readiness = awaitAnswer(process, probe, timeout, clock);
            if (readiness == Readiness.ANSWERED) {
                return process;
            }
            String tail = process.logTail();
            process.close();
            started.remove(process);
            boolean portTaken = tail.contains("EADDRINUSE");
            if (portTaken && requestedPort == 0 && attempt < PORT_RACE_ATTEMPTS) {
                launch();
                continue;
            }
            if (portTaken) {
                throw new PortTakenException(process.port(), name);
            }
            if (readiness == Readiness.EXITED) {
                throw new LocalAwsException("The " + name + " emulator (" + process.name() + ") exited before it answered;"
                        + " the last lines of its log: " + tail + ".");
            }
            throw new LocalAwsException("The " + name + " emulator (" + process.name() + ") did not answer within "
                    + seconds(timeout) + " (the machine may be overloaded); the last lines of its log: " + tail + ".");
        }
    }

    private enum Readiness { ANSWERED, EXITED, TIMED_OUT }

    private static Readiness awaitAnswer(EmulatorProcess process, Function<URI, Probe> probes, Duration timeout,
            Clock clock) {
        Instant deadline = clock.instant().plus(timeout);
        try (Probe probe = probes.apply(LocalAws.endpoint(process.port()))) {
            while (clock.instant().isBefore(deadline)) {
                if (!process.isAlive()) {
                    return Readiness.EXITED;
                }
                if (!process.saysItListens()) {
                    sleep(Duration.ofMillis(100));
                    continue;
                }
                try {
                    probe.call();
                    return Readiness.ANSWERED;
                } catch (SdkException notYet) {
                    sleep(Duration.ofMillis(100));
                }
            }
        }
        return Readiness.TIMED_OUT;
    }

    /** A real API call: an open port alone does not mean the emulator is ready. */
    interface Probe extends AutoCloseable {
        void call();

        @Override
        void close();
    }

    static Probe listTables(URI endpoint) {
        DynamoDbClient client = new LocalAwsClients(endpoint, endpoint, true).newDynamoDbClient(probeConfiguration());
        return probe(client::listTables, client);
    }

    static Probe listStreams(URI endpoint) {
        KinesisClient client = new LocalAwsClients(endpoint, endpoint, true).newKinesisClient(probeConfiguration());
        return probe(client::listStreams, client);
    }

    static Probe listBuckets(URI endpoint) {
        S3Client client = new LocalAwsClients(endpoint, endpoint, true, endpoint).newS3Client(probeConfiguration());
        return probe(client::listBuckets, client);
    }

    private static Probe probe(Runnable call, AutoCloseable client) {
        return new Probe() {
            @Override
            public void call() {
                call.run();
            }

            @Override
            public void close() {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // an SDK client's close does not fail
                }
            }
        };
    }

    private static ClientOverrideConfiguration probeConfiguration() {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(Duration.ofSeconds(2))
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .build();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalAwsException("Interrupted while waiting for an emulator to start.", e);
        }
    }
}
