package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.processor.InvocationListener;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The consumer side of the pipeline: our local event source mapping on a stream, invoking the
 * function (by default the packaged artifact under AWS's runtime client), with checkpoints in DynamoDB.
 */
public final class TripPipeline {
    /** The checkpoint table's default name. */
    public static final String CHECKPOINT_TABLE = "esmCheckpoints";

    private TripPipeline() {
    }

    /** A mapping, not started yet; the function's ARN names the function as its execution environments do. */
    public static EventSourceMapping mapping(KinesisClient kinesis, DynamoDbClient dynamo, String stream, EventSourceMappingConfig config,
                                             String checkpointTable, PipelineFunction function, Clock clock) {
        return mapping(kinesis, dynamo, null, null, stream, config, checkpointTable, function, clock, InvocationListener.none());
    }

    /**
     * As the other, with the client of an SQS or S3 on-failure destination, which the caller closes; null for the mapping
     * to make one from the SDK's configuration.
     */
    public static EventSourceMapping mapping(KinesisClient kinesis, DynamoDbClient dynamo, SqsClient sqs, S3Client s3, String stream,
                                             EventSourceMappingConfig config, String checkpointTable, PipelineFunction function,
                                             Clock clock, InvocationListener listener) {
        return function.attachTo(EventSourceMapping.builder())
                .sqsClient(sqs)
                .s3Client(s3)
                .config(config.toBuilder().functionArn(function.functionArn()).awsRegion(function.region()).build())
                .source(new KinesisStreamSource(kinesis, stream))
                .checkpoints(new DynamoDbCheckpointStore(dynamo, checkpointTable, clock))
                .clock(clock)
                .listener(listener)
                .build();
    }
}
