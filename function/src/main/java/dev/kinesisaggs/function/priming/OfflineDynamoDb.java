package dev.kinesisaggs.function.priming;

import dev.kinesisaggs.function.storage.DynamoDbClients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
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
 * with an empty success ({@code {}}: nothing unprocessed, no attributes returned; a BatchExecuteStatement
 * an empty answer per statement, {@link #emptySuccess}). Priming runs
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

    /**
     * DynamoDB's empty success for a request: {@code {}}, or for a BatchExecuteStatement a success for each statement,
     * since DynamoDB answers each and a statement without an answer is tried again.
     */
    static byte[] emptySuccess(String target, byte[] requestBody) {
        if (target == null || !target.endsWith(".BatchExecuteStatement")) {
            return EMPTY_OBJECT.clone();
        }
        String body = new String(requestBody, StandardCharsets.UTF_8);
        StringJoiner answers = new StringJoiner(",", "{\"Responses\":[", "]}");
        // the SDK writes each statement as {"Statement":"..."; a quote inside a value would be escaped (\")
        for (int at = body.indexOf("{\"Statement\":"); at >= 0; at = body.indexOf("{\"Statement\":", at + 1)) {
            answers.add("{}");
        }
        return answers.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private static final class AnswerEmptySuccess implements SdkHttpClient {

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    byte[] body = new byte[0];
                    if (request.contentStreamProvider().isPresent()) {
                        // the request body is written as it would be to a socket
                        try (InputStream in = request.contentStreamProvider().get().newStream()) {
                            body = in.readAllBytes();
                        }
                    }
                    byte[] answer = emptySuccess(request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null), body);
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("Content-Length", Integer.toString(answer.length))
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer)))
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
