package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;

/**
 * A mapping in its own JVM, for {@link KilledMappingIT}: endpoints come from the SDK's standard
 * environment variables, as for a user. Args: stream name, mapping id, output file. Each
 * delivered record's data is appended to the output file as one line, after a short pause, so
 * that the parent can kill this process in the middle of the stream.
 */
public final class MappingProcessMain {

    public static void main(String[] args) throws Exception {
        String stream = args[0];
        String mappingId = args[1];
        Path out = Path.of(args[2]);
        KinesisClient kinesis = KinesisClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        RequestHandler<KinesisEvent, Void> appending = (event, context) -> {
            StringBuilder lines = new StringBuilder();
            event.getRecords().forEach(r -> lines.append(TestHandlers.text(r)).append('\n'));
            try {
                Thread.sleep(100);
                Files.writeString(out, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().mappingId(mappingId)
                .startingPosition(StartingPosition.TRIM_HORIZON).batchSize(10).pollInterval(Duration.ofMillis(200)).build();
        EventSourceMapping.builder().config(config).source(new KinesisStreamSource(kinesis, stream))
                .checkpoints(new DynamoDbCheckpointStore(dynamoDb, "esmCheckpointsIT", Clock.systemUTC()))
                .kinesisHandler(appending).build().start();
        System.out.println("started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
