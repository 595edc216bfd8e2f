package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/** Spec §5.4: BisectBatchOnFunctionError. */
class BisectTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static EsmTestDriver driver(EventSourceMappingConfig config, com.amazonaws.services.lambda.runtime.RequestHandler<com.amazonaws.services.lambda.runtime.events.KinesisEvent, ?> handler) {
        EsmTestDriver driver = EsmTestDriver.builder().config(config).start(T0.plusSeconds(10)).kinesisHandler(handler).build();
        for (String s : List.of("a", "b", "c", "d", "e")) {
            driver.append(driver.shard(0), s, T0);
        }
        return driver;
    }

    private static EventSourceMappingConfig.Builder bisecting() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).bisectBatchOnFunctionError(true);
    }

    @Test
    void aFailingBatchIsBisectedUntilThePoisonRecordIsAloneAndOnlyItGoesToTheDestination() {
        EsmTestDriver driver = driver(bisecting().maximumRetryAttempts(0).build(), TestHandlers.throwingOn("c"::equals));

        driver.advance(Duration.ofSeconds(5));

        // halves of ceil(n/2) first, in order; only the poison record is discarded
        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d,e]", "[a,b,c]", "[a,b]", "[c]", "[d,e]");
        JsonNode failure = driver.destinationRecords().get(0);
        assertThat(driver.destinationRecords()).hasSize(1);
        StreamRecord c = driver.stream().records(driver.shard(0)).get(2);
        assertThat(failure.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(1);
        assertThat(failure.path("KinesisBatchInfo").path("startSequenceNumber").asText()).isEqualTo(c.sequenceNumber());
        assertThat(failure.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(failure.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
    }

    @Test
    void bisectingDoesNotConsumeTheRetryQuota() {
        EsmTestDriver driver = driver(bisecting().maximumRetryAttempts(1).build(), TestHandlers.throwingOn("c"::equals));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d,e]", "[a,b,c]", "[a,b]", "[c]", "[c]", "[d,e]");
        assertThat(driver.destinationRecords()).singleElement()
                .satisfies(f -> assertThat(f.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2));
    }

    @Test
    void withoutBisectTheWholeBatchIsRetriedAndDiscarded() {
        EsmTestDriver driver = driver(bisecting().bisectBatchOnFunctionError(false).maximumRetryAttempts(1).build(),
                TestHandlers.throwingOn("c"::equals));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d,e]", "[a,b,c,d,e]");
        assertThat(driver.destinationRecords()).singleElement()
                .satisfies(f -> assertThat(f.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(5));
    }

    @Test
    void withReportBatchItemFailuresAndBisectAPartialFailureSplitsTheBatchAtTheReturnedSequenceNumber() {
        EsmTestDriver driver = driver(bisecting().reportBatchItemFailures(true).maximumRetryAttempts(0).build(),
                TestHandlers.reportingFailuresOf(Set.of("c")));

        driver.advance(Duration.ofSeconds(5));

        // a..b succeed; c..e are a batch of their own, with its own retry budget (splitting costs no retry); c fails
        // again, as the first record nothing is left to split off: MaximumRetryAttempts 0 sends c..e to the destination
        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d,e]", "[c,d,e]");
        assertThat(driver.destinationRecords()).singleElement().satisfies(f -> {
            assertThat(f.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(3);
            assertThat(f.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(1);
        });
    }

    @Test
    void withReportBatchItemFailuresAndBisectAPartialFailureDoesNotConsumeTheRetryQuota() {
        AtomicInteger timesCFailed = new AtomicInteger();
        RequestHandler<KinesisEvent, StreamsEventResponse> cFailsOnce = (event, context) -> {
            List<StreamsEventResponse.BatchItemFailure> failures = event.getRecords().stream()
                    .filter(r -> TestHandlers.text(r).equals("c") && timesCFailed.incrementAndGet() == 1)
                    .map(r -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(r.getKinesis().getSequenceNumber()).build())
                    .toList();
            return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
        };
        EsmTestDriver driver = driver(bisecting().reportBatchItemFailures(true).maximumRetryAttempts(0).build(), cFailsOnce);

        driver.advance(Duration.ofSeconds(5));

        // without a retry to spend, c..e still get their invocation: the batch was split at c, not retried
        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d,e]", "[c,d,e]");
        assertThat(driver.destinationRecords()).isEmpty();
        StreamRecord e = driver.stream().records(driver.shard(0)).get(4);
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(e.sequenceNumber()));
    }

    @Test
    void withoutBisectAPartialFailureIsARetryOfTheRemainingRecords() {
        EsmTestDriver driver = driver(bisecting().bisectBatchOnFunctionError(false).reportBatchItemFailures(true).maximumRetryAttempts(0).build(),
                TestHandlers.reportingFailuresOf(Set.of("c")));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d,e]");
        assertThat(driver.destinationRecords()).singleElement()
                .satisfies(f -> assertThat(f.path("KinesisBatchInfo").path("batchSize").asInt()).isEqualTo(3));
    }

    @Test
    void aFunctionErrorIsBisectedEvenWithReportBatchItemFailures() {
        EsmTestDriver driver = driver(bisecting().reportBatchItemFailures(true).maximumRetryAttempts(0).build(),
                TestHandlers.throwingOn("e"::equals));

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[a,b,c,d,e]", "[a,b,c]", "[d,e]", "[d]", "[e]");
    }
}
