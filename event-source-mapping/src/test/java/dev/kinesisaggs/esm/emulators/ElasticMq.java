package dev.kinesisaggs.esm.emulators;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
    private final SqsClient sqs;

    private ElasticMq(SQSRestServer server, SqsClient sqs) {
        this.server = server;
        this.sqs = sqs;
    }

    /** Starts an emulator whose queue URLs and ARNs name this account, in us-east-1. */
    public static ElasticMq start(String account) {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSAccountId(account)
                .withAWSRegion("us-east-1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        SqsClient sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        return new ElasticMq(server, sqs);
    }

    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public void close() {
        sqs.close();
        server.stopAndWait();
    }
}
