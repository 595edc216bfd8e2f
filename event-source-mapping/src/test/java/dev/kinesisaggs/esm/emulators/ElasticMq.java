package dev.kinesisaggs.esm.emulators;

import java.net.URI;
import java.util.List;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ, an SQS emulator in this JVM, on a free loopback port, with the SDK's own SQS client for it; closing
 * it closes the client and stops the emulator. Tests that use it need {@code elasticmq-rest-sqs} on their
 * classpath (a test dependency of each module that uses it).
 */
public final class ElasticMq implements AutoCloseable {

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient sqs;

    private ElasticMq(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.sqs = newClient();
    }

    /** Starts an emulator whose queue URLs and ARNs name this account, in us-east-1. */
    public static ElasticMq start(String account) {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSAccountId(account)
                .withAWSRegion("us-east-1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMq(server, URI.create("http://127.0.0.1:" + port));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The client this emulator closes with it. */
    public SqsClient sqs() {
        return sqs;
    }

    /** Another client for this emulator, with faults injected on top of its real calls; the caller closes it. */
    public SqsClient newClient(ExecutionInterceptor... interceptors) {
        return clientFor(endpoint, interceptors);
    }

    /** A client for an SQS endpoint with the emulator's region and dummy credentials (also for one where nothing listens). */
    public static SqsClient clientFor(URI endpoint, ExecutionInterceptor... interceptors) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void close() {
        sqs.close();
        server.stopAndWait();
    }
}
