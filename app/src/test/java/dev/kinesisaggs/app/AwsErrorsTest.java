package dev.kinesisaggs.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** An SDK or file error that escapes a command reaches the user as one sentence and exit code 2, never a trace. */
class AwsErrorsTest {

    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        private final RuntimeException thrown;

        Failing(RuntimeException thrown) {
            this.thrown = thrown;
        }

        @Override
        public Integer call() {
            throw thrown;
        }
    }

    private record Run(int exit, String err) {
    }

    private static Run run(RuntimeException thrown) {
        StringWriter err = new StringWriter();
        UserErrors handler = new UserErrors();
        CommandLine cli = new CommandLine(new Failing(thrown)).setExecutionExceptionHandler(handler);
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(), err.toString());
    }

    private static AwsServiceException dynamoDb(int status, String code, String message) {
        return DynamoDbException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .serviceName("DynamoDb").errorCode(code).errorMessage(message).build()).build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException", "InvalidSignatureException"})
    void credentialsThatMayNotDoItAreOneSentence(String code) {
        Run run = run(dynamoDb(400, code, "User: arn:aws:iam::123456789012:user/x is not authorized to perform: dynamodb:Query"));

        assertThat(run.exit()).isEqualTo(UserErrors.USAGE);
        assertThat(run.err().lines()).singleElement().asString()
                .isEqualTo("DynamoDB refused the request for these credentials (" + code + "): use credentials allowed to use it"
                        + " (AWS_PROFILE, aws configure), or the emulators' variables that 'kinesis-aggs local' prints.");
    }

    @Test
    void aMissingStreamOrTableIsOneSentence() {
        AwsServiceException missing = ResourceNotFoundException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .serviceName("Kinesis").errorCode("ResourceNotFoundException")
                .errorMessage("Stream taxi under account 000000000000 not found.").build()).build();

        Run run = run(new IllegalStateException("wrapped", missing));

        assertThat(run.exit()).isEqualTo(UserErrors.USAGE);
        assertThat(run.err().lines()).singleElement().asString().isEqualTo("Kinesis has no such resource (Stream taxi under account"
                + " 000000000000 not found): create it ('kinesis-aggs local' creates the stream and the tables), or name an"
                + " existing one with --stream or --table.");
    }

    @Test
    void anUnreachableEndpointIsOneSentence() {
        Run run = run(SdkClientException.create("Unable to execute HTTP request: Connection refused"));

        assertThat(run.exit()).isEqualTo(UserErrors.USAGE);
        assertThat(run.err().lines()).singleElement().asString().startsWith("Cannot reach AWS (Unable to execute HTTP request:"
                + " Connection refused): check the endpoint variables");
    }

    @Test
    void aHostNameThatDoesNotResolveIsNamed() {
        // the SDK's message, which only says to see its cause
        SdkClientException unknown = SdkClientException.builder().message("Received an UnknownHostException when attempting"
                + " to interact with a service. See cause for the exact endpoint that is failing to resolve. If this is"
                + " happening on an endpoint that previously worked, there may be a network connectivity issue or your DNS"
                + " cache could be storing endpoints for too long.")
                .cause(new java.net.UnknownHostException("sqs.us-east-1.amazonaws.com: Name or service not known")).build();

        Run run = run(unknown);

        assertThat(run.exit()).isEqualTo(UserErrors.USAGE);
        assertThat(run.err().lines()).singleElement().asString().startsWith("Cannot reach AWS (the host name does not resolve:"
                + " sqs.us-east-1.amazonaws.com: Name or service not known): check the endpoint variables");
    }

    @Test
    void anEndpointThatIsNotTheServiceIsOneSentenceThatSaysSo() throws Exception {
        // a web server where the endpoint should be, as a mistyped port finds one: the SDK's error has no AWS code
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            byte[] page = "<html><body>Unsupported method ('POST')</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(501, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        web.start();
        try (DynamoDbClient dynamo = EndpointOptions.dynamoDb(Optional.of(URI.create("http://127.0.0.1:" + web.getAddress().getPort())),
                Optional.of("us-east-1"))) {
            AwsServiceException answered = catchThrowableOfType(AwsServiceException.class, dynamo::listTables);

            Run run = run(answered);

            assertThat(run.exit()).isEqualTo(UserErrors.USAGE);
            assertThat(run.err().lines()).singleElement().asString().isEqualTo("DynamoDB answered HTTP 501 without an AWS error in it,"
                    + " so the endpoint is probably not a DynamoDB endpoint: check --endpoint-url, or the endpoint variables"
                    + " (AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL).");
        } finally {
            web.stop(0);
        }
    }

    @Test
    void aFileThatCannotBeWrittenIsOneSentence() {
        Run run = run(new UncheckedIOException(new AccessDeniedException("/var/log/kinesis-aggs.log")));

        assertThat(run.exit()).isEqualTo(UserErrors.USAGE);
        assertThat(run.err().lines()).singleElement().asString()
                .isEqualTo("Cannot read or write a file (access denied: /var/log/kinesis-aggs.log): check the path and its permissions.");
    }

    @Test
    void anythingElseIsABugWithItsTrace() {
        Run run = run(new NullPointerException("oops"));

        assertThat(run.exit()).isEqualTo(UserErrors.BUG);
        assertThat(run.err()).startsWith("kinesis-aggs failed unexpectedly").contains("NullPointerException: oops", "\tat ");
    }
}
