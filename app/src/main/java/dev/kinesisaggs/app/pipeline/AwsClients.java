package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.esm.destination.S3Destination;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the pipeline's commands get their SDK clients. The caller closes each client it gets.
 */
public interface AwsClients {

    KinesisClient kinesis();

    DynamoDbClient dynamoDb();

    /** SQS, for the on-failure queue: the SDK's own configuration (AWS_ENDPOINT_URL_SQS for an emulator). */
    default SqsClient sqs() {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** S3, for the on-failure bucket: the SDK's own configuration (AWS_ENDPOINT_URL_S3 for an emulator, then path-style). */
    default S3Client s3() {
        return S3Destination.defaultClient();
    }

    /** What a function in an execution environment gets to reach the same AWS (or emulators) as these clients. */
    FunctionTarget functionTarget();

    /**
     * These clients, or, when the command line names an endpoint or a region ({@code --endpoint-url}, {@code --region}),
     * the SDK's clients there: what the user names wins over what the environment says.
     */
    default AwsClients at(EndpointOptions where) {
        return where.none() ? this : fromEnvironment(where.endpointUrl(), where.region());
    }

    /**
     * The SDK's default chains for region, credentials and endpoints: on AWS with nothing set, on the
     * emulators through the SDK's own {@code AWS_ENDPOINT_URL_KINESIS} / {@code AWS_ENDPOINT_URL_DYNAMODB}
     * (and {@code CBOR_ENABLED=false} for kinesalite), as {@code kinesis-aggs local} prints them.
     */
    static AwsClients fromEnvironment() {
        return fromEnvironment(Optional.empty(), Optional.empty());
    }

    /**
     * As {@link #fromEnvironment()}, but for the endpoint and the region given ({@link EndpointOptions#configure}); the
     * function, in its execution environments, gets the endpoint as {@code AWS_ENDPOINT_URL}, which the SDK applies to
     * every service.
     */
    static AwsClients fromEnvironment(Optional<URI> endpoint, Optional<String> region) {
        return new AwsClients() {
            @Override
            public KinesisClient kinesis() {
                return EndpointOptions.configure(KinesisClient.builder(), endpoint, region).httpClient(UrlConnectionHttpClient.create()).build();
            }

            @Override
            public DynamoDbClient dynamoDb() {
                return EndpointOptions.configure(DynamoDbClient.builder(), endpoint, region).httpClient(UrlConnectionHttpClient.create()).build();
            }

            @Override
            public SqsClient sqs() {
                return EndpointOptions.configure(SqsClient.builder(), endpoint, region).httpClient(UrlConnectionHttpClient.create()).build();
            }

            @Override
            public S3Client s3() {
                S3ClientBuilder builder = EndpointOptions.configure(S3Client.builder(), endpoint, region).httpClient(UrlConnectionHttpClient.create());
                // an endpoint given on the command line is an emulator's (LocalStack, s3rver): path-style, bodies sent whole
                return (endpoint.isPresent() ? S3Destination.forLocalEndpoint(builder) : builder).build();
            }

            @Override
            public FunctionTarget functionTarget() {
                Map<String, String> endpoints = endpoint.map(FunctionTarget::endpointVariable)
                        .orElseGet(() -> FunctionTarget.endpointVariables(System.getenv()));
                return new FunctionTarget(EndpointOptions.region(endpoint, region).id(), EndpointOptions.credentials(endpoint), endpoints);
            }
        };
    }

    /** Clients of the emulators started in this JVM. */
    static AwsClients local(LocalAwsClients local) {
        return new AwsClients() {
            @Override
            public KinesisClient kinesis() {
                return local.newKinesisClient();
            }

            @Override
            public DynamoDbClient dynamoDb() {
                return local.newDynamoDbClient();
            }

            @Override
            public S3Client s3() {
                return local.s3Endpoint() == null ? AwsClients.super.s3() : local.newS3Client();
            }

            @Override
            public FunctionTarget functionTarget() {
                return new FunctionTarget(LocalAwsClients.REGION.id(), LocalAwsClients.credentials(),
                        FunctionTarget.endpointVariables(local.environment()));
            }
        };
    }
}
