package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.localaws.LocalAwsClients;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
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

    /** What a function in an execution environment gets to reach the same AWS (or emulators) as these clients. */
    FunctionTarget functionTarget();

    /**
     * The SDK's default chains for region, credentials and endpoints: on AWS with nothing set, on the
     * emulators through the SDK's own {@code AWS_ENDPOINT_URL_KINESIS} / {@code AWS_ENDPOINT_URL_DYNAMODB}
     * (and {@code CBOR_ENABLED=false} for kinesalite), as {@code kinesis-aggs local} prints them.
     */
    static AwsClients fromEnvironment() {
        return new AwsClients() {
            @Override
            public KinesisClient kinesis() {
                return KinesisClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            }

            @Override
            public DynamoDbClient dynamoDb() {
                return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
            }

            @Override
            public FunctionTarget functionTarget() {
                String region;
                try {
                    region = DefaultAwsRegionProviderChain.builder().build().getRegion().id();
                } catch (SdkClientException none) {
                    region = "us-east-1"; // the clients above would fail first, and say so
                }
                return new FunctionTarget(region, DefaultCredentialsProvider.builder().build(),
                        FunctionTarget.endpointVariables(System.getenv()));
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
            public FunctionTarget functionTarget() {
                return new FunctionTarget(LocalAwsClients.REGION.id(), LocalAwsClients.credentials(),
                        FunctionTarget.endpointVariables(local.environment()));
            }
        };
    }
}
