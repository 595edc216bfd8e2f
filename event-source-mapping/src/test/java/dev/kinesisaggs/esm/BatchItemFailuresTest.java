package dev.kinesisaggs.esm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.invocation.LambdaFunction;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.DeliveredInvocation;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §5.5: ReportBatchItemFailures. */
class BatchItemFailuresTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EventSourceMappingConfig.Builder rbif() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                .functionResponseTypes(List.of("ReportBatchItemFailures"));
    }

    /** A function that answers its first invocation with {@code firstResponse} (sequence numbers as %1$s, %2$s...), then succeeds. */
    private static LambdaFunction answeringOnce(String firstResponse, List<StreamRecord> records) {
        AtomicInteger calls = new AtomicInteger();
        return (event, context) -> calls.incrementAndGet() == 1
                ? firstResponse.formatted(records.stream().map(StreamRecord::sequenceNumber).toArray())
                : null;
    }

    private static EsmTestDriver driverWithRecords(EventSourceMappingConfig config, List<String> data, java.util.function.Function<List<StreamRecord>, LambdaFunction> function) {
        java.util.List<StreamRecord> records = new java.util.ArrayList<>();
        LambdaFunction[] holder = new LambdaFunction[1];
        EsmTestDriver driver = EsmTestDriver.builder().config(config).start(T0.plusSeconds(10))
                .function((e, c) -> holder[0].invoke(e, c)).build();
        for (String d : data) {
            records.add(driver.append(driver.shard(0), d, T0));
        }
        holder[0] = function.apply(records);
        return driver;
    }

    @Test
    void theLowestFailedSequenceNumberWinsAndEverythingFromItIsRetried() {
        EsmTestDriver driver = driverWithRecords(rbif().build(), List.of("a", "b", "c", "d"), records -> answeringOnce(
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"%3$s\"},{\"itemIdentifier\":\"%2$s\"}]}", records));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d]", "[b,c,d]");
        assertThat(driver.invocations().get(1).at()).isEqualTo(T0.plusSeconds(11));
        List<StreamRecord> records = driver.stream().records(driver.shard(0));
        assertThat(driver.checkpointHistory()).extracting(s -> s.checkpoint())
                .containsExactly(Checkpoint.at(records.get(0).sequenceNumber()), Checkpoint.at(records.get(3).sequenceNumber()));
    }

    @Test
    void batchItemFailuresWithAnEmptyIdentifierFailTheWholeBatch() {
        EsmTestDriver driver = driverWithRecords(rbif().build(), List.of("a", "b"), records -> answeringOnce(
                "{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", records));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[a,b]", "[a,b]");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"batchItemFailures\":[{\"itemIdentifier\":null}]}",
            "{\"batchItemFailures\":[{\"foo\":123}]}",
            "{\"batchItemFailures\":[{\"foo\":null}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":123}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"1234\"}]}",
            "{\"batchItemFailures\":[{\"itemIdentifier\":\"%2$s\"},{\"itemIdentifier\":\"not-a-number\"}]}"})
    void batchItemFailuresWithANullMissingOrUnknownIdentifierFailTheWholeBatch(String response) {
        EsmTestDriver driver = driverWithRecords(rbif().maximumRetryAttempts(2).build(), List.of("a", "b"), records -> {
            return (e, c) -> response.formatted(records.stream().map(StreamRecord::sequenceNumber).toArray());
        });

        driver.advance(Duration.ofSeconds(10));

        // as AWS recorded: the whole batch, 3 invocations, then RetryAttemptsExhausted with no function error
        assertThat(describe(driver.invocations())).containsExactly("[a,b]", "[a,b]", "[a,b]");
        JsonNode failure = driver.destinationRecords().get(0);
        assertThat(failure.path("requestContext").path("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(failure.path("responseContext").path("statusCode").asInt()).isEqualTo(200);
        assertThat(failure.path("responseContext").path("functionError").isNull()).isTrue();
        assertThat(failure.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(2);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "null", "{}", "{\"batchItemFailures\":[]}", "{\"batchItemFailures\":null}"})
    void anEmptyOrNullResponseOrFailureListIsCompleteSuccess(String response) {
        EsmTestDriver driver = driverWithRecords(rbif().build(), List.of("a", "b"), records -> (e, c) -> response);

        driver.advance(Duration.ofSeconds(5));

        assertThat(driver.invocations()).singleElement().satisfies(i -> assertThat(i.succeeded()).isTrue());
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(driver.stream().records(driver.shard(0)).get(1).sequenceNumber()));
    }

    @Test
    void batchItemFailuresAreIgnoredWithoutReportBatchItemFailures() {
        EsmTestDriver driver = driverWithRecords(rbif().functionResponseTypes(List.of()).build(), List.of("a", "b"),
                records -> answeringOnce("{\"batchItemFailures\":[{\"itemIdentifier\":\"%1$s\"}]}", records));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[a,b]");
    }

    @Test
    void afterRetriesAreExhaustedTheDestinationNamesOnlyTheRecordsStillFailing() {
        // AWS's recorded run: 6 records, BatchSize 3, the 6th always failing, MaximumRetryAttempts 3
        EsmTestDriver driver = EsmTestDriver.builder().config(rbif().batchSize(3).maximumRetryAttempts(3).build())
                .start(T0.plusSeconds(10)).kinesisHandler(TestHandlers.reportingFailuresOf(Set.of("6"))).build();
        for (int i = 1; i <= 6; i++) {
            driver.append(driver.shard(0), String.valueOf(i), T0);
        }

        driver.advance(Duration.ofSeconds(30));

        assertThat(describe(driver.invocations())).containsExactly("[1,2,3]", "[4,5,6]", "[6]", "[6]", "[6]");
        String sixth = driver.stream().records(driver.shard(0)).get(5).sequenceNumber();
        JsonNode failure = driver.destinationRecords().get(0);
        assertThat(driver.destinationRecords()).hasSize(1);
        assertThat(failure.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(4);
        assertThat(failure.path("responseContext").path("functionError").isNull()).isTrue();
        assertThat(failure.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(1);
        assertThat(failure.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(sixth);
        assertThat(failure.path("KinesisBatchInfo").path("endSequenceNumber").asText()).isEqualTo(sixth);
    }

    @Test
    void aPartialFailureInsideAWindowKeepsTheReturnedStateAndRedeliversFromTheFailedRecord() {
        EventSourceMappingConfig config = rbif().tumblingWindowInSeconds(30).build();
        AtomicInteger calls = new AtomicInteger();
        EsmTestDriver driver = EsmTestDriver.builder().config(config).start(T0.plusSeconds(10))
                .timeWindowHandler((event, context) -> {
                    var response = TestHandlers.windowConcatenator().handleRequest(event, context);
                    if (calls.incrementAndGet() == 1) {
                        String second = event.getRecords().get(1).getKinesis().getSequenceNumber();
                        response.setBatchItemFailures(List.of(com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse.BatchItemFailure
                                .builder().withItemIdentifier(second).build()));
                    }
                    return response;
                }).build();
        driver.append(driver.shard(0), "a", T0);
        driver.append(driver.shard(0), "b", T0.plusSeconds(1));

        driver.advance(Duration.ofSeconds(2));

        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [a,b] {}",
                "00:00:00 [b] {\"seen\":\"a,b\"}");
        assertThat(driver.invocations()).extracting(DeliveredInvocation::outcome)
                .hasExactlyElementsOfTypes(dev.kinesisaggs.esm.invocation.Outcome.PartiallyFailed.class, dev.kinesisaggs.esm.invocation.Outcome.Succeeded.class);
    }
}
