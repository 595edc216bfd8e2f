package dev.kinesisaggs.localaws;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start the emulators.
 *
 * @param kinesisPort   loopback port of the Kinesis endpoint, 0 for any free port
 * @param dynamoDbPort  loopback port of the DynamoDB endpoint, 0 for any free port
 * @param dataDirectory where the emulators keep their data between runs; null to keep it in memory
 * @param kinesisEmulator which npm package emulates Kinesis
 * @param startTimeout  how long an emulator may take to answer its first API call
 * @param s3            whether to start an S3 emulator (s3rver) too, on a free port
 * @param memoryBoundMegabytes the anonymous resident memory past which dynalite or kinesalite is started again on its
 *                      data directory (requests held meanwhile); 0 for no bound
 * @param partiql       whether dynalite serves PartiQL's INSERT (npm/dynalite-partiql.js), as by default
 */
public record LocalAwsOptions(int kinesisPort, int dynamoDbPort, Path dataDirectory, KinesisEmulator kinesisEmulator,
        Duration startTimeout, boolean s3, int memoryBoundMegabytes, boolean partiql) {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public LocalAwsOptions {
        checkPort(kinesisPort);
        checkPort(dynamoDbPort);
        Objects.requireNonNull(kinesisEmulator, "kinesisEmulator");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (memoryBoundMegabytes < 0) {
            throw new LocalAwsException("A memory bound of " + memoryBoundMegabytes + " MB is not one: give a positive number"
                    + " of megabytes, or 0 for none.");
        }
    }

    /** Free ports, data in memory, the Kinesis emulator chosen by {@link KinesisEmulator#configured()}. */
    public static LocalAwsOptions defaults() {
        return new LocalAwsOptions(0, 0, null, KinesisEmulator.configured(), DEFAULT_START_TIMEOUT, false, 0, true);
    }

    public Optional<Path> persistence() {
        return Optional.ofNullable(dataDirectory);
    }

    public LocalAwsOptions withKinesisPort(int port) {
        return new LocalAwsOptions(port, dynamoDbPort, dataDirectory, kinesisEmulator, startTimeout, s3, memoryBoundMegabytes, partiql);
    }

    public LocalAwsOptions withDynamoDbPort(int port) {
        return new LocalAwsOptions(kinesisPort, port, dataDirectory, kinesisEmulator, startTimeout, s3, memoryBoundMegabytes, partiql);
    }

    /** Keeps the data in this directory between runs (null: in memory). */
    public LocalAwsOptions withDataDirectory(Path directory) {
        return new LocalAwsOptions(kinesisPort, dynamoDbPort, directory, kinesisEmulator, startTimeout, s3, memoryBoundMegabytes, partiql);
    }

    public LocalAwsOptions withKinesisEmulator(KinesisEmulator emulator) {
        return new LocalAwsOptions(kinesisPort, dynamoDbPort, dataDirectory, emulator, startTimeout, s3, memoryBoundMegabytes, partiql);
    }

    public LocalAwsOptions withStartTimeout(Duration timeout) {
        return new LocalAwsOptions(kinesisPort, dynamoDbPort, dataDirectory, kinesisEmulator, timeout, s3, memoryBoundMegabytes, partiql);
    }

    /** Starts an S3 emulator (s3rver) as well, for an S3 on-failure destination: none is started unless asked for. */
    public LocalAwsOptions withS3() {
        return new LocalAwsOptions(kinesisPort, dynamoDbPort, dataDirectory, kinesisEmulator, startTimeout, true, memoryBoundMegabytes, partiql);
    }

    /**
     * Starts dynalite or kinesalite again on its data when its anonymous resident memory passes this many megabytes,
     * read every 2 s from {@code /proc} (Linux only: elsewhere a warning, and no bound); their clients are served
     * through a gate that holds the requests meanwhile. kinesis-local, which keeps its data in memory, is not bounded.
     * Needs a {@link #withDataDirectory data directory}: in memory, a restart would lose the data.
     */
    public LocalAwsOptions withMemoryBound(int megabytes) {
        return new LocalAwsOptions(kinesisPort, dynamoDbPort, dataDirectory, kinesisEmulator, startTimeout, s3, megabytes, partiql);
    }

    /**
     * dynalite as its package ships, without the PartiQL INSERT this project adds to it: an endpoint that answers
     * BatchExecuteStatement with UnknownOperationException, as other DynamoDB emulators do.
     */
    public LocalAwsOptions withoutPartiql() {
        return new LocalAwsOptions(kinesisPort, dynamoDbPort, dataDirectory, kinesisEmulator, startTimeout, s3, memoryBoundMegabytes, false);
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new LocalAwsException("Port " + port + " is not a TCP port: use 1 to 65535, or 0 for any free port.");
        }
    }
}
