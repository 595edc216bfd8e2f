package dev.kinesisaggs.function.storage;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the DynamoDB client, once per container. The endpoint comes from the SDK's own
 * {@code AWS_ENDPOINT_URL_DYNAMODB} / {@code AWS_ENDPOINT_URL} (pointing at an emulator locally).
 * The HTTP client is Apache HttpClient 5: each clean trip is a call of its own, and it spends 20 to 30 % less CPU a
 * call than the JDK's URL connection, which the function used before, at about 0.1 to 0.3 s more init and 2.3 MB more
 * artifact (both measured, benchmarks/FIGURES.md).
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

    /**
     * @param callsInFlight the most calls the function makes at once: as many connections are kept open between calls.
     */
    public static DynamoDbClient create(String region, int callsInFlight) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(httpClient(callsInFlight))
                .overrideConfiguration(overrides());
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }

    /**
     * Apache HttpClient 5 with a connection's and a read's time limits, and a pool of {@code connections}: as many as
     * calls are made at once, so that no call waits for a connection and none is closed and opened again between calls
     * (with fewer kept, 927 connections were opened for 25,110 PutItems: each a TCP and TLS handshake on AWS, 12 to 23 %
     * more CPU a trip over TLS, measured with the JDK's client and its 5 kept).
     */
    public static SdkHttpClient httpClient(int connections) {
        return Apache5HttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .maxConnections(connections)
                .build();
    }
}
