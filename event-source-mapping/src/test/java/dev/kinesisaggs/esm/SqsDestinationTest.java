package dev.kinesisaggs.esm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.destination.SqsDestination;
import dev.kinesisaggs.esm.emulators.ElasticMq;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.processor.InvocationListener;
import dev.kinesisaggs.esm.retrieval.InMemoryStream;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The SQS on-failure destination against ElasticMQ (an SQS emulator running in this JVM, spoken to by
 * the SDK's own SQS client and protocol): discarded records arrive as exactly the documented record (spec §5.6).
 */
class SqsDestinationTest {

    private static final String ACCOUNT = "123456789012";
    private static ElasticMq elasticMq;
    private static SqsClient sqs;
    private final Clock clock = Clock.systemUTC();

    @BeforeAll
    static void startElasticMq() {
        elasticMq = ElasticMq.start(ACCOUNT);
        sqs = elasticMq.sqs();
    }

    @AfterAll
    static void stopElasticMq() {
        if (elasticMq != null) {
            elasticMq.close();
        }
    }

    private static String newQueue() {
        return sqs.createQueue(b -> b.queueName("esm-failures-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
    }

    private static String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static List<Message> receiveAll(String queueUrl, int expected) {
        List<Message> out = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            out.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages());
            return out.size() >= expected;
        });
        // nothing more than expected arrives
        out.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
        return out;
    }

    private static EventSourceMappingConfig.Builder failFast(String destination) {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                .pollInterval(Duration.ofMillis(20)).retryBackoffInitial(Duration.ofMillis(20)).retryBackoffMax(Duration.ofMillis(40))
                .maximumRetryAttempts(2).onFailureDestination(destination);
    }

    /** Runs a handler that always throws on two records in one batch until the destination has its message; returns the last attempt's request id. */
    private String discardOneBatch(EventSourceMappingConfig config, InMemoryStream stream, List<StreamRecord> appended) {
        List<InvocationListener.Invocation> invocations = new CopyOnWriteArrayList<>();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(stream).sqsClient(sqs)
                .kinesisHandler(TestHandlers.throwingOn(s -> true)).listener(invocations::add).build()) {
            String shard = stream.shardIds().get(0);
            Instant t = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            appended.add(stream.append(shard, "k", "x".getBytes(StandardCharsets.UTF_8), t.minusMillis(250)));
            appended.add(stream.append(shard, "k", "y".getBytes(StandardCharsets.UTF_8), t));
            esm.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> esm.status().shards().size() == 1
                    && esm.status().shards().get(0).recordsDiscarded() == 2);
        }
        assertThat(invocations).hasSize(3).allSatisfy(i -> assertThat(i.eventJson()).contains("\"sequenceNumber\":\"" + appended.get(1).sequenceNumber()));
        return invocations.get(2).result().requestId();
    }

    @Test
    void recordsDiscardedAfterTheirRetriesGoToTheQueueAsExactlyTheDocumentedFailureRecord() throws Exception {
        String queueUrl = newQueue();
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/trips", 1, clock);
        EventSourceMappingConfig config = failFast(queueUrl).functionArn("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f").build();
        List<StreamRecord> appended = new ArrayList<>();
        Instant before = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        String lastRequestId = discardOneBatch(config, stream, appended);

        List<Message> messages = receiveAll(queueUrl, 1);
        assertThat(messages).hasSize(1);
        JsonNode record = EventJson.mapper().readTree(messages.get(0).body());
        assertThat(record.fieldNames()).toIterable()
                .containsExactly("requestContext", "responseContext", "version", "timestamp", "KinesisBatchInfo");
        JsonNode request = record.get("requestContext");
        assertThat(request.fieldNames()).toIterable().containsExactly("requestId", "functionArn", "condition", "approximateInvokeCount");
        assertThat(request.get("requestId").asText()).isEqualTo(lastRequestId);
        assertThat(request.get("functionArn").asText()).isEqualTo("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f");
        assertThat(request.get("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(request.get("approximateInvokeCount").isInt()).isTrue();
        assertThat(request.get("approximateInvokeCount").asInt()).isEqualTo(3);
        JsonNode response = record.get("responseContext");
        assertThat(response.fieldNames()).toIterable().containsExactly("statusCode", "executedVersion", "functionError");
        assertThat(response.get("statusCode").asInt()).isEqualTo(200);
        assertThat(response.get("executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(response.get("functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.get("version").asText()).isEqualTo("1.0");
        String timestamp = record.get("timestamp").asText();
        assertThat(timestamp).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(Instant.parse(timestamp)).isBetween(before, clock.instant());
        JsonNode info = record.get("KinesisBatchInfo");
        assertThat(info.fieldNames()).toIterable().containsExactly("shardId", "startSequenceNumber", "endSequenceNumber",
                "approximateArrivalOfFirstRecord", "approximateArrivalOfLastRecord", "batchSize", "streamArn");
        assertThat(info.get("shardId").asText()).isEqualTo(stream.shardIds().get(0));
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(appended.get(0).sequenceNumber());
        assertThat(info.get("endSequenceNumber").asText()).isEqualTo(appended.get(1).sequenceNumber());
        for (String field : List.of("approximateArrivalOfFirstRecord", "approximateArrivalOfLastRecord")) {
            assertThat(info.get(field).asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        }
        assertThat(Instant.parse(info.get("approximateArrivalOfFirstRecord").asText())).isEqualTo(appended.get(0).approximateArrivalTimestamp());
        assertThat(Instant.parse(info.get("approximateArrivalOfLastRecord").asText())).isEqualTo(appended.get(1).approximateArrivalTimestamp());
        assertThat(info.get("batchSize").asInt()).isEqualTo(2);
        assertThat(info.get("streamArn").asText()).isEqualTo("arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/trips");
    }

    @Test
    void aQueueGivenByItsArnIsResolvedToItsUrl() throws Exception {
        String queueUrl = newQueue();
        String arn = arnOf(queueUrl);
        assertThat(arn).startsWith("arn:aws:sqs:");
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/trips", 1, clock);
        List<StreamRecord> appended = new ArrayList<>();

        discardOneBatch(failFast(arn).build(), stream, appended);

        List<Message> messages = receiveAll(queueUrl, 1);
        assertThat(messages).hasSize(1);
        JsonNode info = EventJson.mapper().readTree(messages.get(0).body()).get("KinesisBatchInfo");
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(appended.get(0).sequenceNumber());
        assertThat(SqsDestination.forQueue(sqs, arn).describe()).isEqualTo("SQS " + queueUrl);
    }

    @Test
    void aMissingQueueIsRefusedInOneSentence() {
        String missingUrl = newQueue() + "-missing";
        String missingArn = arnOf(newQueue()) + "-missing";

        for (String missing : List.of(missingUrl, missingArn)) {
            assertThatThrownBy(() -> EventSourceMapping.builder().config(failFast(missing).build())
                    .source(new InMemoryStream("arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/trips", 1, clock))
                    .sqsClient(sqs).kinesisHandler(TestHandlers.accepting()).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("The SQS queue " + missing + " (the on-failure destination) does not exist at http://127.0.0.1:")
                    .hasMessageEndingWith(": create it, or check the queue URL/ARN and the SQS endpoint.");
        }
    }

    @Test
    void aQueueDeletedWhileRunningLosesTheFailureRecordButNotTheShard() {
        // AWS counts such records as DestinationDeliveryFailures and goes on: the shard is not blocked
        String queueUrl = newQueue();
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/trips", 1, clock);
        EventSourceMappingConfig config = failFast(queueUrl).build();
        String shard = stream.shardIds().get(0);
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(stream).sqsClient(sqs)
                .kinesisHandler(TestHandlers.throwingOn(s -> s.equals("poison"))).build().start()) {
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
            stream.append(shard, "k", "poison".getBytes(StandardCharsets.UTF_8), clock.instant());
            await().atMost(Duration.ofSeconds(10)).until(() -> esm.status().shards().size() == 1
                    && esm.status().shards().get(0).recordsDiscarded() == 1);
            StreamRecord fine = stream.append(shard, "k", "fine".getBytes(StandardCharsets.UTF_8), clock.instant());
            await().atMost(Duration.ofSeconds(10)).until(() -> esm.status().shards().get(0).lastCheckpoint()
                    .equals(java.util.Optional.of(fine.sequenceNumber())));
            assertThat(esm.status().shards().get(0).recordsDiscarded()).isEqualTo(1);
            assertThat(esm.status().shards().get(0).invocations()).isEqualTo(4);
        }
    }
}
