package dev.kinesisaggs.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where a command's AWS clients go, as the AWS CLI's own options say it: {@code --endpoint-url}, one endpoint for every
 * service the command calls (as LocalStack serves them all on one port), and {@code --region}. What is not given
 * comes from the SDK's own configuration ({@code AWS_ENDPOINT_URL_KINESIS}, ..., {@code AWS_ENDPOINT_URL},
 * {@code AWS_REGION}, the profile), as before.
 */
public final class EndpointOptions {
    /** An emulator takes any region; a laptop pointed at one may have none configured. */
    static final Region REGION_WHEN_NONE = Region.US_EAST_1;

    @Option(names = {"--endpoint-url", "--endpoint"}, paramLabel = "URL", converter = Url.class,
            description = "The endpoint of every AWS service this command calls, as the AWS CLI's --endpoint-url, e.g."
                    + " LocalStack's http://localhost:4566 (--endpoint for short). Default: the SDK's variables"
                    + " (AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_DYNAMODB, ..., AWS_ENDPOINT_URL), else AWS.")
    URI endpointUrl;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region. Default: the SDK's (AWS_REGION, profile).")
    String region;

    public Optional<URI> endpointUrl() {
        return Optional.ofNullable(endpointUrl);
    }

    public Optional<String> region() {
        return Optional.ofNullable(region).filter(r -> !r.isBlank()).map(String::strip);
    }

    /** True when neither is given: the SDK's configuration alone applies. */
    public boolean none() {
        return endpointUrl().isEmpty() && region().isEmpty();
    }

    /**
     * {@code builder} pointed where the options say, untouched where they say nothing. With an endpoint, the region is
     * {@link #region(Optional, Optional)}'s and the credentials {@link #credentials(Optional)}'s.
     */
    public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, Optional<URI> endpoint, Optional<String> region) {
        if (endpoint.isEmpty()) {
            checkEndpointVariables(System.getenv());
        }
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(uri -> builder.endpointOverride(uri)
                .credentialsProvider(credentials(endpoint))
                .region(region(endpoint, region)));
        return builder;
    }

    /**
     * A command's DynamoDB client. Without an endpoint: the SDK's default chains for region, credentials and endpoint,
     * so the same command works on AWS and, through {@code AWS_ENDPOINT_URL_DYNAMODB}, on an emulator. With an
     * endpoint, as {@link #configure} says (placeholder credentials when none are found: emulators accept any, and a
     * laptop may have none).
     */
    public static DynamoDbClient dynamoDb(Optional<URI> endpoint, Optional<String> region) {
        return configure(DynamoDbClient.builder(), endpoint, region)
                .overrideConfiguration(c -> c.apiCallTimeout(READ_CALL_TIMEOUT))
                .build();
    }

    /**
     * The most one call of a reading command (a page of a Query or Scan, a DescribeTable) may take, retries included:
     * DynamoDB answers such calls within a second, and an endpoint that never answers (a wrong address that drops
     * packets) kept the command silent for two minutes, the SDK's four attempts of 30 s (found by probing).
     */
    static final java.time.Duration READ_CALL_TIMEOUT = java.time.Duration.ofSeconds(20);

    /**
     * The region given, else the SDK's, else {@link #REGION_WHEN_NONE} (without an endpoint, the command's clients
     * then fail first, and say what to set). With an endpoint, the SDK's is looked up in the variables, the system
     * properties and the profile only: its whole chain would first wait for an instance's metadata service.
     */
    public static Region region(Optional<URI> endpoint, Optional<String> region) {
        if (region.isPresent()) {
            return Region.of(region.get());
        }
        AwsRegionProvider sdk = endpoint.isPresent()
                ? new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                : DefaultAwsRegionProviderChain.builder().build();
        try {
            return sdk.getRegion();
        } catch (SdkClientException none) {
            return REGION_WHEN_NONE;
        }
    }

    /**
     * The credentials the clients use: the SDK's. With an endpoint, those of the variables, the system properties or
     * the profile, else placeholders, which an emulator takes: the SDK's whole chain would first wait a second or two
     * for an instance's metadata service that a laptop does not have.
     */
    public static AwsCredentialsProvider credentials(Optional<URI> endpoint) {
        if (endpoint.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return AwsCredentialsProviderChain.of(EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create(),
                ProfileCredentialsProvider.create(), StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    /**
     * The SDK's endpoint variables ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_KINESIS}, ...), each an absolute
     * http or https URL when set: the SDK fails on another value with a stack trace that names no variable, or none at
     * all (found by a probe: {@code AWS_ENDPOINT_URL_KINESIS=localhost:4568}, the scheme left out).
     *
     * @throws UserError naming the first variable that is not
     */
    static void checkEndpointVariables(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.getOrDefault("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").strip())) {
            return; // the SDK reads none of them then
        }
        env.entrySet().stream().filter(e -> e.getKey().startsWith(ENDPOINT_VARIABLE) && !e.getValue().isBlank())
                .filter(e -> parse(e.getValue()).isEmpty()).min(Map.Entry.comparingByKey()).ifPresent(e -> {
                    throw new UserError("The variable " + e.getKey() + " is '" + TerminalText.printable(e.getValue(), 200) + "', which is not"
                            + " an http or https URL with a host: write it as http://HOST:PORT (e.g. http://localhost:4566), or unset it to reach AWS.");
                });
    }

    private static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";

    /** An absolute http or https URL with a host, as the SDK takes one. */
    private static Optional<URI> parse(String value) {
        try {
            URI uri = new URI(value.strip());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // none
        }
        return Optional.empty();
    }

    /** An absolute http or https URL, refused in one sentence otherwise (the SDK's own message names no option). */
    static final class Url implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            return parse(value).orElseThrow(() -> new TypeConversionException("'" + value + "' is not an endpoint URL: write it"
                    + " as the AWS CLI takes it, e.g. http://localhost:4566"));
        }
    }
}
