package dev.kinesisaggs.app.chaos;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.app.pipeline.FunctionTarget;
import dev.kinesisaggs.app.pipeline.PipelineFunction;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a chaos run's event source mapping is, written to a file that the mapping's own process reads
 * ({@link MappingProcess}), so that each start of it, after a stop or a {@code kill -9}, is the same mapping on the
 * same checkpoints.
 *
 * @param kinesis            the Kinesis emulator
 * @param kinesisCbor        whether it speaks the SDK's CBOR
 * @param dynamoDb           DynamoDB as the mapping reaches it, for its checkpoints (no faults: AWS's mapping keeps
 *                           its checkpoints to itself)
 * @param functionDynamoDb   DynamoDB as the function reaches it: through the fault proxy
 * @param functionArguments  the command's function options ({@code --memory-size}, {@code --in-process}, ...)
 * @param destination        the on-failure file, when batches may be given up
 * @param functionLog        where the function's log goes (appended to), if anywhere
 */
record MappingSettings(String stream, URI kinesis, boolean kinesisCbor, URI dynamoDb, URI functionDynamoDb, TableNames tables, int batchSize,
                       int batchingWindowSeconds, int windowSeconds, int maximumRetryAttempts, Optional<Path> destination,
                       Duration functionTimeout, List<String> functionArguments, Optional<Path> functionLog) {

    MappingSettings {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(functionDynamoDb, "functionDynamoDb");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(functionTimeout, "functionTimeout");
        functionArguments = List.copyOf(functionArguments);
        Objects.requireNonNull(functionLog, "functionLog");
    }

    /** The mapping's configuration; the function's ARN and region are the mapping's to add. */
    EventSourceMappingConfig config() {
        return EventSourceMappingConfig.builder()
                .mappingId(ChaosRun.MAPPING_ID)
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(batchSize)
                .maximumBatchingWindowInSeconds(batchingWindowSeconds)
                .tumblingWindowInSeconds(windowSeconds)
                .maximumRetryAttempts(maximumRetryAttempts)
                .onFailureDestination(destination.map(Path::toString).orElse(null))
                .functionTimeout(functionTimeout)
                .windowIdleGrace(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(250))
                .retryBackoffInitial(Duration.ofMillis(200))
                .retryBackoffMax(Duration.ofSeconds(2))
                .build();
    }

    /**
     * The function the mapping invokes, made from the command's function options: its DynamoDB is the fault proxy, and
     * {@code throughProxy} the client it uses when it runs in this process.
     */
    PipelineFunction function(DynamoDbClient throughProxy, PrintStream log, Clock clock) {
        FunctionTarget target = new FunctionTarget(LocalAwsClients.REGION.id(), LocalAwsClients.credentials(),
                Map.of("AWS_ENDPOINT_URL_DYNAMODB", functionDynamoDb.toString(), "AWS_ENDPOINT_URL_KINESIS", kinesis.toString()));
        return PipelineFunction.resolve(FunctionOptions.parse(functionArguments), tables, target, throughProxy, log, clock, System.err);
    }

    /** A client of DynamoDB as the function reaches it (through the fault proxy), for a function run in this process. */
    DynamoDbClient clientThroughProxy() {
        return DynamoDbClient.builder().endpointOverride(functionDynamoDb)
                .region(LocalAwsClients.REGION)
                .credentialsProvider(LocalAwsClients.credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The function's log, appended to (the mapping's process and the redrive both write it), or nowhere. */
    PrintStream openFunctionLog() {
        if (functionLog.isEmpty()) {
            return new PrintStream(OutputStream.nullOutputStream());
        }
        try {
            return new PrintStream(Files.newOutputStream(functionLog.get(), StandardOpenOption.CREATE, StandardOpenOption.APPEND), true,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clients of the emulators, for the mapping (no faults). */
    LocalAwsClients clients() {
        return new LocalAwsClients(kinesis, dynamoDb, kinesisCbor);
    }

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("stream", stream);
        p.setProperty("kinesis", kinesis.toString());
        p.setProperty("kinesisCbor", Boolean.toString(kinesisCbor));
        p.setProperty("dynamoDb", dynamoDb.toString());
        p.setProperty("functionDynamoDb", functionDynamoDb.toString());
        p.setProperty("tables.aggregates", tables.aggregates());
        p.setProperty("tables.trips", tables.trips());
        p.setProperty("tables.rejects", tables.rejects());
        p.setProperty("batchSize", Integer.toString(batchSize));
        p.setProperty("batchingWindowSeconds", Integer.toString(batchingWindowSeconds));
        p.setProperty("windowSeconds", Integer.toString(windowSeconds));
        p.setProperty("maximumRetryAttempts", Integer.toString(maximumRetryAttempts));
        destination.ifPresent(d -> p.setProperty("destination", d.toString()));
        p.setProperty("functionTimeoutMillis", Long.toString(functionTimeout.toMillis()));
        // one key each: an argument may hold any character (an --environment value, a path)
        for (int i = 0; i < functionArguments.size(); i++) {
            p.setProperty("functionArgument." + i, functionArguments.get(i));
        }
        functionLog.ifPresent(l -> p.setProperty("functionLog", l.toString()));
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "a chaos run's event source mapping");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MappingSettings read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> arguments = new ArrayList<>();
        for (int i = 0; p.getProperty("functionArgument." + i) != null; i++) {
            arguments.add(p.getProperty("functionArgument." + i));
        }
        return new MappingSettings(p.getProperty("stream"), URI.create(p.getProperty("kinesis")),
                Boolean.parseBoolean(p.getProperty("kinesisCbor")), URI.create(p.getProperty("dynamoDb")),
                URI.create(p.getProperty("functionDynamoDb")), new TableNames(p.getProperty("tables.aggregates"), p.getProperty("tables.trips"),
                        p.getProperty("tables.rejects")),
                Integer.parseInt(p.getProperty("batchSize")), Integer.parseInt(p.getProperty("batchingWindowSeconds")),
                Integer.parseInt(p.getProperty("windowSeconds")), Integer.parseInt(p.getProperty("maximumRetryAttempts")),
                Optional.ofNullable(p.getProperty("destination")).map(Path::of),
                Duration.ofMillis(Long.parseLong(p.getProperty("functionTimeoutMillis"))),
                arguments,
                Optional.ofNullable(p.getProperty("functionLog")).map(Path::of));
    }
}
