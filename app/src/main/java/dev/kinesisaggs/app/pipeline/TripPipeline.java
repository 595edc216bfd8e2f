package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.storage.RejectsWriter;
import dev.kinesisaggs.function.storage.TableNames;
import java.io.PrintStream;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The consumer side of the pipeline in this process: our local event source mapping on a stream,
 * invoking our Lambda handler, which is given the DynamoDB client explicitly (no environment
 * variables of this JVM are read), with checkpoints in DynamoDB.
 */
public final class TripPipeline {
    /** The checkpoint table's default name. */
    public static final String CHECKPOINT_TABLE = "esmCheckpoints";
    /** The function name in the handler's metrics line. */
    public static final String FUNCTION_NAME = "kinesis-aggs-local";

    private TripPipeline() {
    }

    /**
     * A mapping, not started yet.
     *
     * @param functionLog where the handler writes its one JSON line per invocation (Lambda's log)
     */
    public static EventSourceMapping mapping(KinesisClient kinesis, DynamoDbClient dynamo, String stream, TableNames tables,
                                             EventSourceMappingConfig config, String checkpointTable, PrintStream functionLog,
                                             Clock clock) {
        TripWindowHandler handler = handler(dynamo, tables, functionLog, clock);
        return EventSourceMapping.builder()
                .config(config)
                .source(new KinesisStreamSource(kinesis, stream))
                .timeWindowHandler(handler)
                .checkpoints(new DynamoDbCheckpointStore(dynamo, checkpointTable, clock))
                .clock(clock)
                .build();
    }

    /** Our function, in-process, with its one JSON line per invocation going to {@code functionLog}. */
    static TripWindowHandler handler(DynamoDbClient dynamo, TableNames tables, PrintStream functionLog, Clock clock) {
        FunctionConfig config = new FunctionConfig(tables, null, FUNCTION_NAME, FunctionConfig.DEFAULT_SAFETY_MARGIN,
                RejectsWriter.DEFAULT_PAYLOAD_CAP);
        return new TripWindowHandler(dynamo, config, clock, functionLog);
    }
}
