package dev.kinesisaggs.function.priming;

import dev.kinesisaggs.function.storage.DynamoDbClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client that cannot reach DynamoDB: its HTTP client answers every request in memory
 * with an empty success ({@code {}}: nothing unprocessed, no attributes returned). Priming runs
 * the real writers on it, so that the SDK's request building, marshalling, signing and response
 * parsing are loaded and compiled before a SnapStart snapshot, and no request leaves the process.
 */
public final class OfflineDynamoDb {

    private OfflineDynamoDb() {
    }

    public static DynamoDbClient create(String region) {
        return DynamoDbClient.builder()
                .httpClient(new AnswerEmptySuccess())
                .overrideConfiguration(DynamoDbClients.overrides())
                .region(Region.of(region == null ? "us-east-1" : region))
                // signing runs as for real; the function's own credentials are not needed for it
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("offline", "offline")))
                .build();
    }

    private static final class AnswerEmptySuccess implements SdkHttpClient {

        private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    if (request.contentStreamProvider().isPresent()) {
                        // the request body is written as it would be to a socket
                        try (InputStream body = request.contentStreamProvider().get().newStream()) {
                            body.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("Content-Length", Integer.toString(EMPTY_OBJECT.length))
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(EMPTY_OBJECT)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public String clientName() {
            return "offline";
        }

        @Override
        public void close() {
        }
    }
}
