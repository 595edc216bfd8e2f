package dev.kinesisaggs.app.aggregates;

import dev.kinesisaggs.app.EndpointOptions;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the DynamoDB client of a command from its {@code --endpoint-url} and {@code --region} options. */
public final class DynamoDbClients {

    private DynamoDbClients() {
    }

    /**
     * Without an endpoint: the SDK's default chains for region, credentials and endpoint, so the same
     * command works on AWS and, through {@code AWS_ENDPOINT_URL_DYNAMODB}, on an emulator. With an
     * endpoint, as {@link EndpointOptions#configure} says (placeholder credentials when none are found:
     * emulators accept any, and a laptop may have none).
     */
    public static DynamoDbClient create(Optional<URI> endpoint, Optional<String> region) {
        return EndpointOptions.configure(DynamoDbClient.builder(), endpoint, region).build();
    }
}
