package dev.kinesisaggs.function.storage;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
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

    /** The JDK's URL connection, with a connection's and a read's time limits. */
    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * @param callsInFlight the most calls the function makes at once: as many connections are kept open between calls.
     */
    public static DynamoDbClient create(String region, int callsInFlight) {
        keepConnectionsOpen(callsInFlight);
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(httpClient())
                .overrideConfiguration(overrides());
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }

    /**
     * The JDK's HTTP client keeps at most {@code http.maxConnections} idle connections per host, 5 unless set, and
     * closes a connection whose call ends while that many are idle; the next call then opens a new one. With 16 calls
     * in flight that was 66 connections for 1,000 PutItems (in {@code PackagedFunctionIT}) and 927 for 25,110 (in
     * {@code SaturatedShard}), each a TCP and TLS handshake on AWS: 12 to 23 % more CPU per trip over TLS. The JDK reads
     * the property once per JVM, when it first keeps a connection: here that is after this (the SDK's client makes no
     * call when built, and nothing before it in a function's JVM opens an HTTP connection); a value set on the command
     * line ({@code JAVA_TOOL_OPTIONS}) is left alone.
     */
    public static void keepConnectionsOpen(int callsInFlight) {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(callsInFlight));
        }
    }
}
