package dev.kinesisaggs.function.storage;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the DynamoDB client, once per container. The endpoint comes from the SDK's own
 * {@code AWS_ENDPOINT_URL_DYNAMODB} / {@code AWS_ENDPOINT_URL} (pointing at an emulator locally);
 * the JDK's URL connection keeps the cold start and the artifact small (no Netty, no CRT).
 */
public final class DynamoDbClients {

    /** A few quick SDK attempts; longer retries are ours, bounded by the invocation's time left. */
    public static final int SDK_MAX_ATTEMPTS = 3;

    private DynamoDbClients() {
    }

    /**
     * The SDK's own retries and time limits: bounded, because on its defaults a throttled call
     * took 50-58 s to fail. Each call is further cut to the invocation's time left ({@link CallTimeouts}).
     */
    public static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(SDK_MAX_ATTEMPTS).build())
                .apiCallTimeout(Duration.ofSeconds(20))
                .apiCallAttemptTimeout(Duration.ofSeconds(5))
                .build();
    }

    public static DynamoDbClient create(String region) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10))
                        .build())
                .overrideConfiguration(overrides());
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }
}
