package dev.kinesisaggs.localaws;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.waiters.KinesisWaiter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds SDK clients pointed at the emulators: static dummy credentials, region us-east-1,
 * the URL-connection HTTP client. Each call builds a new client; the caller closes it.
 *
 * @param s3Endpoint the S3 emulator's endpoint, or null when none was started
 */
public record LocalAwsClients(URI kinesisEndpoint, URI dynamoDbEndpoint, boolean cborEnabled, URI s3Endpoint) {
    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local";

    /** Without an S3 emulator. */
    public LocalAwsClients(URI kinesisEndpoint, URI dynamoDbEndpoint, boolean cborEnabled) {
        this(kinesisEndpoint, dynamoDbEndpoint, cborEnabled, null);
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    public KinesisClient newKinesisClient() {
        return newKinesisClient(ClientOverrideConfiguration.builder().build());
    }

    public KinesisClient newKinesisClient(ClientOverrideConfiguration overrides) {
        return KinesisClient.builder()
                .endpointOverride(kinesisEndpoint)
                .region(REGION)
                .credentialsProvider(credentials())
                .httpClient(httpClient())
                .overrideConfiguration(overrides)
                .build();
    }

    public DynamoDbClient newDynamoDbClient() {
        return newDynamoDbClient(ClientOverrideConfiguration.builder().build());
    }

    public DynamoDbClient newDynamoDbClient(ClientOverrideConfiguration overrides) {
        return DynamoDbClient.builder()
                .endpointOverride(dynamoDbEndpoint)
                .region(REGION)
                .credentialsProvider(credentials())
                .httpClient(httpClient())
                .overrideConfiguration(overrides)
                .build();
    }

    public S3Client newS3Client() {
        return newS3Client(ClientOverrideConfiguration.builder().build());
    }

    /**
     * A client for the S3 emulator (s3rver): path-style addressing, since {@code bucket.127.0.0.1} resolves nowhere, and
     * request bodies sent whole: over plain HTTP the SDK sends uploads as {@code aws-chunked}, which s3rver 3.7.1 does
     * not decode (it stored the chunk framing as the object). The SDK's CRC32 checksums can stay on: with chunked
     * encoding off they travel as a header, which s3rver ignores.
     *
     * @throws LocalAwsException when no S3 emulator was started
     */
    public S3Client newS3Client(ClientOverrideConfiguration overrides) {
        if (s3Endpoint == null) {
            throw new LocalAwsException("No S3 emulator was started: start LocalAws with LocalAwsOptions.withS3().");
        }
        return S3Client.builder()
                .endpointOverride(s3Endpoint)
                .region(REGION)
                .credentialsProvider(credentials())
                .httpClient(httpClient())
                .forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .overrideConfiguration(overrides)
                .build();
    }

    /**
     * The variables that point the AWS SDKs and CLI of a child process at the emulators
     * (and, for kinesalite, turn CBOR off, which it does not speak).
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_ENDPOINT_URL_KINESIS", kinesisEndpoint.toString());
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
        if (s3Endpoint != null) {
            environment.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        }
        environment.put("AWS_REGION", REGION.id());
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        if (!cborEnabled) {
            environment.put("CBOR_ENABLED", "false");
        }
        return environment;
    }

    /**
     * Waits until a stream just created is active, asking every 100 ms. The SDK's own waiter asks every 10 s, and an
     * emulator's stream, created with no delay, may still read CREATING at the first question: a test or a chaos run
     * then stood still for 10 s (AtTimestampStartIT 16-20 s, 6 s now; one ProduceCommandIT case in two runs of five).
     */
    public static void awaitStreamActive(KinesisClient kinesis, String stream) {
        try (KinesisWaiter waiter = KinesisWaiter.builder().client(kinesis)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(100))).maxAttempts(600).build())
                .build()) {
            waiter.waitUntilStreamExists(b -> b.streamName(stream)).matched().exception().ifPresent(e -> {
                throw new IllegalStateException("The stream " + stream + " did not become active: " + e.getMessage(), e);
            });
        }
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }
}
