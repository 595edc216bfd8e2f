package dev.kinesisaggs.app.aggregates;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the DynamoDB client of a command from its {@code --endpoint} and {@code --region} options. */
public final class DynamoDbClients {

    private DynamoDbClients() {
    }

    /**
     * Without an endpoint: the SDK's default chains for region, credentials and endpoint, so the same
     * command works on AWS and, through {@code AWS_ENDPOINT_URL_DYNAMODB}, on an emulator. With an
     * endpoint (an emulator), placeholder credentials: emulators accept any, and a laptop may have none.
     */
    public static DynamoDbClient create(Optional<URI> endpoint, Optional<String> region) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder();
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(uri -> {
            builder.endpointOverride(uri)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            if (region.isEmpty()) {
                builder.region(Region.US_EAST_1);
            }
        });
        return builder.build();
    }
}
