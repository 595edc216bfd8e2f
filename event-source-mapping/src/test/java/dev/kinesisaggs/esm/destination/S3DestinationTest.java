package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** What is ours in the S3 destination, without S3: the object key and which event becomes the payload. */
class S3DestinationTest {

    private static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/trips";
    private static final String SHARD = "shardId-000000000001";
    private final EventJson json = new EventJson(STREAM_ARN, "us-east-1", "arn:aws:iam::123456789012:role/r");
    private final List<StreamRecord> records = List.of(record("100", "a"), record("200", "b"), record("300", "c"));

    private static StreamRecord record(String sequenceNumber, String data) {
        return new StreamRecord(SHARD, sequenceNumber, "k", data.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-03T10:00:00Z"));
    }

    private static ObjectNode failure(String requestId, List<StreamRecord> given) {
        return FailureRecords.of(requestId, "arn:aws:lambda:us-east-1:123456789012:function:f", FailureRecords.RETRY_ATTEMPTS_EXHAUSTED,
                3, Optional.of(Optional.of("Unhandled")), Instant.parse("2026-12-03T23:59:59.999Z"), STREAM_ARN, given);
    }

    private static List<String> sequenceNumbers(JsonNode payload) {
        return StreamSupport.stream(payload.get("Records").spliterator(), false)
                .map(r -> r.get("kinesis").get("sequenceNumber").asText()).toList();
    }

    @Test
    void theKeyIsAwsLayoutWithTheRecordsTimeInUtcToTheSecond() {
        UUID random = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(S3Destination.objectKey("c05df7ab-9137-3874-8a90-f612d251b035", SHARD, Instant.parse("2026-01-02T03:04:05.678Z"), random))
                .isEqualTo("aws/lambda/c05df7ab-9137-3874-8a90-f612d251b035/shardId-000000000001/2026/01/02/2026-01-02T03.04.05-"
                        + "0f8fad5b-d9cb-469f-a165-70867728950e");
    }

    @Test
    void thePayloadIsTheEventOfTheInvocationTheRecordNames() {
        FailurePayloads payloads = new FailurePayloads(2);
        payloads.invoked(SHARD, "req-1", json.standardEvent(records));
        payloads.invoked("shardId-000000000002", "req-2", json.standardEvent(List.of(record("900", "z"))));

        Optional<JsonNode> payload = payloads.payloadFor(failure("req-1", records));

        assertThat(payload).contains(parse(json.standardEvent(records)));
    }

    @Test
    void aBatchGivenUpAfterAPartialFailureCarriesOnlyTheRecordsGivenUp() {
        FailurePayloads payloads = new FailurePayloads(2);
        payloads.invoked(SHARD, "req-1", json.standardEvent(records));

        JsonNode payload = payloads.payloadFor(failure("req-1", records.subList(1, 3))).orElseThrow();

        assertThat(sequenceNumbers(payload)).containsExactly("200", "300");
    }

    @Test
    void recordsTooOldBeforeARetryNameNoInvocationAndTakeTheLatestEventThatHeldThem() {
        FailurePayloads payloads = new FailurePayloads(2);
        payloads.invoked(SHARD, "req-1", json.standardEvent(records));

        JsonNode payload = payloads.payloadFor(failure("a-request-id-of-its-own", records.subList(0, 2))).orElseThrow();

        assertThat(sequenceNumbers(payload)).containsExactly("100", "200");
    }

    @Test
    void recordsNeverSentHaveNoPayload() {
        FailurePayloads payloads = new FailurePayloads(2);
        payloads.invoked(SHARD, "req-1", json.standardEvent(records.subList(0, 1)));

        assertThat(payloads.payloadFor(failure("req-9", records.subList(1, 3)))).isEmpty();
    }

    @Test
    void onlyTheLastFewEventsOfAShardAreKept() {
        FailurePayloads payloads = new FailurePayloads(2);
        payloads.invoked(SHARD, "req-1", json.standardEvent(records.subList(0, 1)));
        payloads.invoked(SHARD, "req-2", json.standardEvent(records.subList(1, 2)));
        payloads.invoked(SHARD, "req-3", json.standardEvent(records.subList(2, 3)));

        assertThat(payloads.payloadFor(failure("req-1", records.subList(0, 1)))).isEmpty();
        assertThat(payloads.payloadFor(failure("req-2", records.subList(1, 2)))).isPresent();
    }

    @Test
    void aWindowsFinalInvokeGivenUpIsKeptAsSentWithTheStateThatWasLost() {
        FailurePayloads payloads = new FailurePayloads(2);
        String finalInvoke = json.windowEvent(List.of(), TimeWindow.containing(Instant.parse("2026-12-03T10:00:00Z"), 30),
                EventJson.mapper().createObjectNode().put("trips", 3), SHARD, true, false);
        payloads.invoked(SHARD, "req-final", finalInvoke);

        JsonNode payload = payloads.payloadFor(failure("req-final", records)).orElseThrow();

        assertThat(payload).isEqualTo(parse(finalInvoke));
        assertThat(payload.get("isFinalInvokeForWindow").asBoolean()).isTrue();
        assertThat(payload.get("state").get("trips").asInt()).isEqualTo(3);
    }

    private static JsonNode parse(String event) {
        try {
            return EventJson.mapper().readTree(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
