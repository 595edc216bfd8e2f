package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The mapping's options under the AWS CLI's names ({@code aws lambda create-event-source-mapping}) and value forms
 * give the very configuration that our names give, in the commands that take them; {@code --endpoint-url} and
 * {@code --region} point every client where the AWS CLI's would.
 */
class AwsCliNamesTest {

    private static EventSourceMappingConfig consume(String args) {
        ConsumeCommand command = new ConsumeCommand(() -> { }, AwsClients.fromEnvironment(), Clock.systemUTC());
        new CommandLine(command).parseArgs(split(args));
        return command.config();
    }

    private static EventSourceMappingConfig demo(String args) {
        DemoCommand command = new DemoCommand(() -> { }, Clock.systemUTC());
        new CommandLine(command).parseArgs(split(args));
        return command.config();
    }

    private static String[] split(String args) {
        return args.isBlank() ? new String[0] : args.strip().split(" +");
    }

    @ParameterizedTest(name = "consume {0} is consume {1}")
    @CsvSource(delimiter = '|', value = {
        "--maximum-batching-window-in-seconds 5            | --batching-window 5s",
        "--tumbling-window-in-seconds 10                   | --window 10s",
        "--maximum-retry-attempts 3                        | --max-retries 3",
        "--maximum-record-age-in-seconds 120               | --max-record-age 2m",
        "--bisect-batch-on-function-error                  | --bisect",
        "--starting-position AT_TIMESTAMP --starting-position-timestamp 1767268800 | --starting-position AT_TIMESTAMP --starting-position-timestamp 2026-01-01T12:00:00Z",
        "--function-response-types                         | --no-report-batch-item-failures",
        "--destination-config OnFailure={Destination=arn:aws:sqs:us-east-1:123456789012:failures} | --destination arn:aws:sqs:us-east-1:123456789012:failures",
        "--destination-config {\"OnFailure\":{\"Destination\":\"arn:aws:sqs:us-east-1:123456789012:failures\"}} | --destination arn:aws:sqs:us-east-1:123456789012:failures",
        "--destination-config OnFailure={Destination=arn:aws:s3:::kinesis-aggs-failures} | --destination arn:aws:s3:::kinesis-aggs-failures",
    })
    void consumeTakesTheAwsCliNameForEachSetting(String aws, String ours) {
        EventSourceMappingConfig byAwsName = consume(aws);

        assertThat(byAwsName).isEqualTo(consume(ours)).isNotEqualTo(consume(""));
    }

    @ParameterizedTest(name = "consume {0} is the default")
    @CsvSource(delimiter = '|', value = {
        "--maximum-record-age-in-seconds -1",
        "--maximum-retry-attempts -1",
        "--no-bisect-batch-on-function-error",
        "--function-response-types ReportBatchItemFailures",
    })
    void theAwsCliFormsOfTheDefaultsAreTheDefaults(String aws) {
        assertThat(consume(aws)).isEqualTo(consume(""));
    }

    @ParameterizedTest(name = "demo {0} is demo {1}")
    @CsvSource(delimiter = '|', value = {
        "--tumbling-window-in-seconds 10          | --window 10s",
        "--maximum-batching-window-in-seconds 5   | --batching-window 5s",
        "--batch-size 200                         | --batch-size 200",
    })
    void demoTakesTheAwsCliNameForTheSettingsItLetsChange(String aws, String ours) {
        EventSourceMappingConfig byAwsName = demo(aws);

        assertThat(byAwsName).isEqualTo(demo(ours)).isNotEqualTo(demo(""));
    }

    @Test
    void theDemoKeepsItsOwnDefaults() {
        EventSourceMappingConfig config = demo("");

        assertThat(config.maximumBatchingWindowInSeconds()).isEqualTo(1);
        assertThat(config.tumblingWindowInSeconds()).isEqualTo(30);
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThat(config.startingPosition()).hasToString("TRIM_HORIZON");
    }

    @Test
    void oneSettingUnderBothNamesIsRefused() {
        assertThatThrownBy(() -> consume("--window 10s --tumbling-window-in-seconds 10"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("should be specified only once");
        assertThatThrownBy(() -> consume("--report-batch-item-failures --function-response-types ReportBatchItemFailures"))
                .hasMessage("--function-response-types and --[no-]report-batch-item-failures set the same FunctionResponseTypes:"
                        + " give one of them");
        assertThatThrownBy(() -> consume("--destination failures.jsonl --destination-config OnFailure={Destination=x}"))
                .hasMessage("--destination and --destination-config both name the on-failure destination: give one of them");
    }

    @Test
    void whatTheAwsCliWouldRefuseIsRefusedInOneSentence() {
        assertThatThrownBy(() -> consume("--function-response-types BatchItemFailures"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("FunctionResponseTypes accepts only \"ReportBatchItemFailures\", not \"BatchItemFailures\".");
        assertThatThrownBy(() -> consume("--maximum-record-age-in-seconds 30"))
                .hasMessage("--max-record-age (MaximumRecordAgeInSeconds) must be -1 (never discard) or between 60 and 604800, not 30.");
        assertThatThrownBy(() -> consume("--starting-position AT_TIMESTAMP --starting-position-timestamp yesterday"))
                .hasMessage("--starting-position-timestamp must be an ISO instant such as 2026-01-01T12:00:00Z or Unix seconds,"
                        + " not 'yesterday'");
    }

    @Test
    void aTimestampInUnixSecondsMayHaveAFraction() {
        assertThat(consume("--starting-position AT_TIMESTAMP --starting-position-timestamp 1767268800.5").startingPositionTimestamp())
                .isEqualTo(Optional.of(Instant.parse("2026-01-01T12:00:00.500Z")));
    }

    @Test
    void endpointUrlPointsEveryClientOfConsumeAndItsFunctionThere() {
        URI localStack = URI.create("http://localhost:4566");
        ConsumeCommand command = new ConsumeCommand(() -> { }, AwsClients.fromEnvironment(), Clock.systemUTC());
        new CommandLine(command).parseArgs("--endpoint-url", localStack.toString());

        AwsClients clients = command.clients();

        try (KinesisClient kinesis = clients.kinesis(); DynamoDbClient dynamo = clients.dynamoDb(); SqsClient sqs = clients.sqs()) {
            assertThat(kinesis.serviceClientConfiguration().endpointOverride()).contains(localStack);
            assertThat(dynamo.serviceClientConfiguration().endpointOverride()).contains(localStack);
            assertThat(sqs.serviceClientConfiguration().endpointOverride()).contains(localStack);
        }
        assertThat(clients.functionTarget().endpointVariables()).isEqualTo(Map.of("AWS_ENDPOINT_URL", localStack.toString()));
    }

    @Test
    void regionSetsTheRegionOfEveryClient() {
        ConsumeCommand command = new ConsumeCommand(() -> { }, AwsClients.fromEnvironment(), Clock.systemUTC());
        new CommandLine(command).parseArgs("--region", "eu-west-3");

        AwsClients clients = command.clients();

        try (KinesisClient kinesis = clients.kinesis(); DynamoDbClient dynamo = clients.dynamoDb()) {
            assertThat(kinesis.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
            assertThat(dynamo.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
            assertThat(kinesis.serviceClientConfiguration().endpointOverride()).isEmpty();
        }
        assertThat(clients.functionTarget().region()).isEqualTo("eu-west-3");
    }

    @Test
    void withoutThemTheCommandKeepsTheClientsItWasGiven() {
        AwsClients given = AwsClients.fromEnvironment();
        ConsumeCommand command = new ConsumeCommand(() -> { }, given, Clock.systemUTC());
        new CommandLine(command).parseArgs();

        assertThat(command.clients()).isSameAs(given);
    }

    @ParameterizedTest(name = "aggregates {0}")
    @CsvSource({"--endpoint-url", "--endpoint"})
    void aggregatesTakesTheEndpointUnderTheAwsCliNameAndItsOlderOne(String option) {
        AtomicReference<Optional<URI>> endpoint = new AtomicReference<>();
        AggregatesCommand command = new AggregatesCommand(Clock.systemUTC(), (url, region) -> {
            endpoint.set(url);
            throw new IllegalStateException("enough: the client is not needed");
        });

        new CommandLine(command).setErr(new PrintWriter(new StringWriter())).execute(option, "http://localhost:4566");

        assertThat(endpoint.get()).contains(URI.create("http://localhost:4566"));
    }

    @Test
    void everyCommandThatCallsAwsTakesEndpointUrlAndRegionAlike() {
        CommandLine cli = KinesisAggs.commandLine(() -> { }, Clock.systemUTC());
        for (String name : List.of("produce", "consume", "redrive", "aggregates", "dashboard")) {
            CommandSpec spec = cli.getSubcommands().get(name).getCommandSpec();
            assertThat(spec.findOption("--endpoint-url")).as(name + " --endpoint-url").isNotNull()
                    .isSameAs(spec.findOption("--endpoint"));
            assertThat(spec.findOption("--endpoint-url").description()).as(name)
                    .isEqualTo(cli.getSubcommands().get("consume").getCommandSpec().findOption("--endpoint-url").description());
            assertThat(spec.findOption("--region")).as(name + " --region").isNotNull();
        }
    }

    @Test
    void anEndpointThatIsNotAUrlIsRefusedInOneSentence() {
        StringWriter out = new StringWriter();

        int code = TestCommands.command(new ConsumeCommand(() -> { }, AwsClients.fromEnvironment(), Clock.systemUTC()), out)
                .execute("--endpoint-url", "localhost:4566");

        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).startsWith("Invalid value for option '--endpoint-url': 'localhost:4566' is not an endpoint URL:"
                + " write it as the AWS CLI takes it, e.g. http://localhost:4566.");
    }
}
