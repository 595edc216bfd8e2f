package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinesisaggs.function.priming.OfflineDynamoDb;
import dev.kinesisaggs.function.testing.CloudWatchEmf;
import dev.kinesisaggs.function.testing.MutableClock;
import dev.kinesisaggs.function.testing.TestContext;
import dev.kinesisaggs.function.testing.WindowEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The handler's log line carries what the invocation and the environment give it: the request id of the
 * Lambda context, and the service and metrics namespace of the function's configuration. On a DynamoDB
 * client that answers in memory (the one SnapStart priming uses), so no emulator is needed.
 */
class InvocationLogHandlerTest {

    @Test
    void theLineNamesTheInvocationsRequestIdAndTheConfiguredServiceAndNamespace() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FunctionConfig config = FunctionConfig.fromEnvironment(Map.of("AWS_LAMBDA_FUNCTION_NAME", "aggs-fn",
                "POWERTOOLS_SERVICE_NAME", "taxi-trips", "POWERTOOLS_METRICS_NAMESPACE", "Lab"));
        MutableClock clock = new MutableClock(Instant.parse("2020-12-09T07:04:40.123Z"));
        try (DynamoDbClient offline = OfflineDynamoDb.create("us-east-1")) {
            TripWindowHandler handler = new TripWindowHandler(offline, config, clock, new PrintStream(out, true, StandardCharsets.UTF_8));
            handler.handleRequest(WindowEvents.fromResource("/events/first-invoke-two-trips.json"),
                    new TestContext(clock, Duration.ofSeconds(60), "8f5a1f2e-request"));
        }

        String line = out.toString(StandardCharsets.UTF_8).strip();
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.get("function_request_id").asText()).isEqualTo("8f5a1f2e-request");
        assertThat(n.get("service").asText()).isEqualTo("taxi-trips");
        assertThat(n.get("timestamp").asText()).isEqualTo("2020-12-09T07:04:40.123Z");
        assertThat(n.get("cold_start").isBoolean()).as("a boolean (which one depends on what ran before in this JVM)").isTrue();
        Map<String, String> dimensions = Map.of("Service", "taxi-trips", "FunctionName", "aggs-fn");
        assertThat(CloudWatchEmf.value(CloudWatchEmf.metrics(line), "Lab", dimensions, "RecordsIn")).isEqualTo(2);
        assertThat(CloudWatchEmf.value(CloudWatchEmf.metrics(line), "Lab", dimensions, "FailedInvocations")).isZero();
    }
}
