package dev.kinesisaggs.function.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.testing.CloudWatchEmf;
import dev.kinesisaggs.function.testing.CloudWatchEmf.Metric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvocationLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2020-12-09T07:04:40Z");
    private static final String REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e812345678";
    private static final String TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    private static final Map<String, String> DEFAULT_DIMENSIONS = Map.of("Service", "kinesis-aggs", "FunctionName", "f");
    private static final ShardBatch TWO_RECORDS = new ShardBatch("shardId-000000000001", "2020-12-09T07:04:30Z",
            "2020-12-09T07:05:00Z", Map.of(), false, false, List.of(record("10"), record("11")));
    private static final InvocationStats STATS = new InvocationStats(2, 3, 2, Map.of(RejectReason.MALFORMED_JSON, 1),
            2, 0, 0, 1, 0, 4, 0, 0, 0);

    private static KinesisRecordIn record(String sequenceNumber) {
        return new KinesisRecordIn(sequenceNumber, "pk", NOW, new byte[0]);
    }

    /** A log as the handler builds it, from a function environment, writing into a buffer. */
    private static final class Log {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final InvocationLog log;

        Log(Map<String, String> env, ColdStart coldStart, Supplier<String> traceHeader) {
            FunctionConfig config = FunctionConfig.fromEnvironment(env);
            log = new InvocationLog(new PrintStream(out, true, StandardCharsets.UTF_8), config.metricsNamespace(),
                    config.service(), config.functionName(), coldStart, traceHeader);
        }

        Log() {
            this(Map.of("AWS_LAMBDA_FUNCTION_NAME", "f"), ColdStart.forInitializationType("on-demand"), () -> null);
        }

        String success() {
            return take(() -> log.success(TWO_RECORDS, new BatchResult(Map.of(), STATS), REQUEST_ID, NOW, Duration.ofMillis(7)));
        }

        String failure(ShardBatch batch) {
            return take(() -> log.failure(batch, new IllegalStateException("boom"), REQUEST_ID, NOW, Duration.ofMillis(5)));
        }

        private String take(Runnable write) {
            out.reset();
            write.run();
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(text).as("one line").endsWith(System.lineSeparator()).doesNotContain("\n".repeat(2));
            assertThat(text.strip()).doesNotContain("\n");
            return text.strip();
        }
    }

    private static JsonNode json(String line) throws Exception {
        return JSON.readTree(line);
    }

    @Test
    void aLineNamesTheFirstAndLastSequenceNumberItCarried() {
        String line = new Log().failure(new ShardBatch("shardId-000000000001", "2020-12-09T07:04:30Z", "2020-12-09T07:05:00Z",
                Map.of(), false, false, List.of(record("10"), record("11"), record("12"))));

        assertThat(line).contains("\"shardId\":\"shardId-000000000001\"")
                .contains("\"firstSequenceNumber\":\"10\"").contains("\"lastSequenceNumber\":\"12\"")
                .contains("\"RecordsIn\":3").contains("\"error\":\"IllegalStateException: boom\"");
    }

    @Test
    void aFinalInvokeWithoutRecordsNamesNoSequenceNumber() {
        String line = new Log().failure(new ShardBatch("shardId-000000000001", "2020-12-09T07:04:30Z", "2020-12-09T07:05:00Z",
                Map.of(), true, false, List.of()));

        assertThat(line).contains("\"finalInvoke\":true").doesNotContain("SequenceNumber");
    }

    @Test
    void aSuccessIsAnEmfDocumentWhoseMetricsAreUnderTheServiceAndFunctionAndCountNoFailure() {
        List<Metric> metrics = CloudWatchEmf.metrics(new Log().success());

        assertThat(metrics).allSatisfy(m -> {
            assertThat(m.namespace()).isEqualTo("KinesisAggs");
            assertThat(m.dimensions()).isEqualTo(DEFAULT_DIMENSIONS);
            assertThat(m.timestampMillis()).isEqualTo(NOW.toEpochMilli());
        });
        assertThat(metrics).extracting(Metric::name).containsExactlyInAnyOrder("RecordsIn", "UserRecords", "CleanTrips",
                "RejectedRecords", "CountedTrips", "DuplicateTrips", "RefusedTrips", "QuarantineDropped", "WriteRetries",
                "PartsWritten", "DurationMs", "FailedInvocations");
        assertThat(CloudWatchEmf.value(metrics, "KinesisAggs", DEFAULT_DIMENSIONS, "FailedInvocations")).isZero();
        assertThat(CloudWatchEmf.value(metrics, "KinesisAggs", DEFAULT_DIMENSIONS, "RecordsIn")).isEqualTo(2);
        assertThat(CloudWatchEmf.value(metrics, "KinesisAggs", DEFAULT_DIMENSIONS, "RejectedRecords")).isEqualTo(1);
        assertThat(CloudWatchEmf.value(metrics, "KinesisAggs", DEFAULT_DIMENSIONS, "DurationMs")).isEqualTo(7);
        assertThat(metrics).filteredOn(m -> m.name().equals("DurationMs")).extracting(Metric::unit).containsExactly("Milliseconds");
    }

    @Test
    void aFailureIsAnEmfDocumentThatCountsOneFailedInvocationAndItsDuration() {
        List<Metric> metrics = CloudWatchEmf.metrics(new Log().failure(TWO_RECORDS));

        // the counts of a batch that failed are not metrics: its retry counts them
        assertThat(metrics).extracting(Metric::name).containsExactlyInAnyOrder("DurationMs", "FailedInvocations");
        assertThat(CloudWatchEmf.value(metrics, "KinesisAggs", DEFAULT_DIMENSIONS, "FailedInvocations")).isEqualTo(1);
    }

    @Test
    void theLineCarriesTheKeysOfPowertoolsLogging() throws Exception {
        Log log = new Log();
        JsonNode success = json(log.success());
        JsonNode failure = json(log.failure(TWO_RECORDS));

        assertThat(success.get("timestamp").asText()).isEqualTo("2020-12-09T07:04:40.000Z");
        assertThat(success.get("level").asText()).isEqualTo("INFO");
        assertThat(success.get("message").asText()).isEqualTo("invocation done");
        assertThat(success.get("service").asText()).isEqualTo("kinesis-aggs");
        assertThat(success.get("function_request_id").asText()).isEqualTo(REQUEST_ID);
        assertThat(success.get("cold_start").isBoolean()).isTrue();
        assertThat(failure.get("level").asText()).isEqualTo("ERROR");
        assertThat(failure.get("message").asText()).isEqualTo("invocation failed");
        assertThat(failure.get("function_request_id").asText()).isEqualTo(REQUEST_ID);
        assertThat(failure.get("service").asText()).isEqualTo("kinesis-aggs");
    }

    @Test
    void theColdStartIsTheFirstInvocationOfTheEnvironmentWhicheverHandlerInstanceLogsIt() throws Exception {
        ColdStart environment = ColdStart.forInitializationType("on-demand");
        Log first = new Log(Map.of(), environment, () -> null);
        Log second = new Log(Map.of(), environment, () -> null);

        assertThat(json(first.success()).get("cold_start").asBoolean()).isTrue();
        assertThat(json(first.failure(TWO_RECORDS)).get("cold_start").asBoolean()).isFalse();
        assertThat(json(second.success()).get("cold_start").asBoolean()).isFalse();
        assertThat(json(first.success()).get("cold_start").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"snap-start", "provisioned-concurrency"})
    void anEnvironmentInitialisedBeforeAnyRequestHasNoColdStart(String initializationType) throws Exception {
        Log log = new Log(Map.of(), ColdStart.forInitializationType(initializationType), () -> null);

        assertThat(json(log.success()).get("cold_start").asBoolean()).isFalse();
    }

    @Test
    void theXrayTraceIdIsTheRootOfTheInvocationsTraceHeaderAndAbsentWithout() throws Exception {
        String[] header = {TRACE_HEADER};
        Log log = new Log(Map.of(), ColdStart.never(), () -> header[0]);

        assertThat(json(log.success()).get("xray_trace_id").asText()).isEqualTo("1-5759e988-bd862e3fe1be46a994272793");
        header[0] = "Sampled=0;Root=1-67891233-abcdef012345678912345678";
        assertThat(json(log.failure(TWO_RECORDS)).get("xray_trace_id").asText()).isEqualTo("1-67891233-abcdef012345678912345678");
        header[0] = null;
        assertThat(json(log.success()).has("xray_trace_id")).isFalse();
        header[0] = "Parent=53995c3f42cd8ad8;Sampled=1";
        assertThat(json(log.success()).has("xray_trace_id")).isFalse();
    }

    @Test
    void serviceAndNamespaceComeFromThePowertoolsVariables() throws Exception {
        Log log = new Log(Map.of("POWERTOOLS_SERVICE_NAME", "taxi-trips", "POWERTOOLS_METRICS_NAMESPACE", "Lab",
                "AWS_LAMBDA_FUNCTION_NAME", "aggs-TripWindowFunction-1"), ColdStart.never(), () -> null);
        String line = log.success();

        assertThat(json(line).get("service").asText()).isEqualTo("taxi-trips");
        Map<String, String> dimensions = Map.of("Service", "taxi-trips", "FunctionName", "aggs-TripWindowFunction-1");
        assertThat(CloudWatchEmf.metrics(line)).allSatisfy(m -> {
            assertThat(m.namespace()).isEqualTo("Lab");
            assertThat(m.dimensions()).isEqualTo(dimensions);
        });
        assertThat(CloudWatchEmf.value(CloudWatchEmf.metrics(line), "Lab", dimensions, "FailedInvocations")).isZero();
    }

    @Test
    void blankPowertoolsVariablesLeaveTheDefaults() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("POWERTOOLS_SERVICE_NAME", " ");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "");
        String line = new Log(env, ColdStart.never(), () -> null).success();

        assertThat(json(line).get("service").asText()).isEqualTo("kinesis-aggs");
        assertThat(CloudWatchEmf.metrics(line)).allSatisfy(m -> assertThat(m.namespace()).isEqualTo("KinesisAggs"));
    }
}
