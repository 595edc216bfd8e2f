package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.localaws.LocalAwsClients;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Where the pipeline's commands get their SDK clients. The caller closes each client it gets.
 */
public interface AwsClients {

    KinesisClient kinesis();

    DynamoDbClient dynamoDb();

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
        };
    }
}
