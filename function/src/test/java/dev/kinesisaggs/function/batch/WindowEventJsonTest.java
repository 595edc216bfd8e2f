package dev.kinesisaggs.function.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.function.testing.WindowEvents.Rec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event read by {@link WindowEventJson} against the oracle the runtime would otherwise be: AWS's own event
 * serializer (aws-lambda-java-serialization, the runtime client's), whose event {@link EventTranslator} translates.
 */
class WindowEventJsonTest {

    private static final PojoSerializer<KinesisTimeWindowEvent> EVENTS =
            LambdaEventSerializers.serializerFor(KinesisTimeWindowEvent.class, WindowEventJsonTest.class.getClassLoader());
    private static final PojoSerializer<TimeWindowEventResponse> RESPONSES =
            LambdaEventSerializers.serializerFor(TimeWindowEventResponse.class, WindowEventJsonTest.class.getClassLoader());

    private static ShardBatch ours(String json) throws IOException {
        return WindowEventJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static ShardBatch theRuntimes(String json) {
        return EventTranslator.toBatch(EVENTS.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    /** Field by field, the records' data by content. */
    private static void assertSame(ShardBatch actual, ShardBatch expected) {
        assertThat(actual.shardId()).isEqualTo(expected.shardId());
        assertThat(actual.windowStart()).isEqualTo(expected.windowStart());
        assertThat(actual.windowEnd()).isEqualTo(expected.windowEnd());
        assertThat(actual.state()).isEqualTo(expected.state());
        assertThat(actual.finalInvoke()).isEqualTo(expected.finalInvoke());
        assertThat(actual.terminatedEarly()).isEqualTo(expected.terminatedEarly());
        assertThat(actual.records()).hasSameSizeAs(expected.records());
        for (int i = 0; i < actual.records().size(); i++) {
            KinesisRecordIn a = actual.records().get(i);
            KinesisRecordIn e = expected.records().get(i);
            assertThat(a.sequenceNumber()).isEqualTo(e.sequenceNumber());
            assertThat(a.partitionKey()).isEqualTo(e.partitionKey());
            assertThat(a.arrival()).as("arrival of record %d", i).isEqualTo(e.arrival());
            assertThat(a.data()).as("data of record %d", i).isEqualTo(e.data());
        }
    }

    @Test
    void theEventsTheMappingSendsReadAsTheRuntimesSerializerReadsThem() throws IOException {
        List<Rec> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(new Rec(WindowEvents.seq("0", i), "pk-" + i, Instant.ofEpochMilli(1_607_497_475_123L + 997L * i),
                    TripRecords.trip("t" + i, 1 + i % 2, 1 + i % 6)));
        }
        records.add(new Rec(WindowEvents.seq("0", 99), "empty", Instant.ofEpochMilli(1_607_497_475_000L), new byte[0]));
        for (boolean last : new boolean[] {false, true}) {
            for (boolean early : new boolean[] {false, true}) {
                String json = WindowEvents.json("shardId-000000000006", "2020-12-09T07:04:00Z", "2020-12-09T07:06:00Z",
                        Map.of("v", "2", "1", "9,3,4500000,300", "run", "r-1"), last, early, records);
                assertSame(ours(json), theRuntimes(json));
            }
        }
        String none = WindowEvents.json("shardId-000000000001", "2020-12-09T07:04:00Z", "2020-12-09T07:06:00Z", Map.of(), true, false,
                List.of());
        assertSame(ours(none), theRuntimes(none));
        assertThat(ours(none).records()).isEmpty();
    }

    @Test
    void awsDocumentedShapeWithNumbersInTheStateNoShardIdFieldsInAnotherOrderAndFieldsItDoesNotKnow() throws IOException {
        // as AWS's example of the event has it (state values as numbers), the shard only in eventID, and fields in
        // another order, some not in the event's classes at all
        String json = """
                {"state": {"1": 282, "2": 715, "flag": true}, "future": {"nested": [1, {"x": null}]},
                 "Records": [{"eventID": "shardId-000000000006:49590338271490256608559692538361571095921575989136588898",
                   "kinesis": {"approximateArrivalTimestamp": 1607497475.0, "data": "eyJpZCI6ICJ4In0=", "partitionKey": "1",
                     "sequenceNumber": "49590338271490256608559692538361571095921575989136588898", "kinesisSchemaVersion": "1.0",
                     "encryptionType": "NONE"},
                   "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventName": "aws:kinesis:record",
                   "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-kinesis-role", "awsRegion": "us-east-1",
                   "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/lambda-stream"}],
                 "window": {"end": "2020-12-09T07:06:00Z", "start": "2020-12-09T07:04:00Z"},
                 "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/lambda-stream",
                 "isFinalInvokeForWindow": false, "isWindowTerminatedEarly": false}
                """;
        ShardBatch batch = ours(json);
        assertSame(batch, theRuntimes(json));
        assertThat(batch.shardId()).isEqualTo("shardId-000000000006");
        assertThat(batch.state()).containsEntry("1", "282").containsEntry("flag", "true");
        assertThat(new String(batch.records().get(0).data(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": \"x\"}");
    }

    @Test
    void emptiesAndNullsReadAsTheRuntimesSerializerReadsThem() throws IOException {
        for (String json : List.of(
                "{\"state\": [], \"isFinalInvokeForWindow\": true, \"shardId\": \"shardId-000000000001\"}",
                "{\"Records\": null, \"window\": null, \"state\": null, \"shardId\": null, \"isWindowTerminatedEarly\": true}",
                "{\"Records\": [{\"kinesis\": {\"sequenceNumber\": \"1\", \"data\": null, \"approximateArrivalTimestamp\": null,"
                        + " \"partitionKey\": \"\u00e9t\u00e9 \\\"q\\\"\"}}], \"state\": {\"cl\u00e9\": \"\u2603\", \"n\": null}}",
                "{\"Records\": [{\"kinesis\": {\"sequenceNumber\": \"2\", \"data\": \"\", \"approximateArrivalTimestamp\": 0}}]}")) {
            assertSame(ours(json), theRuntimes(json));
        }
        assertThat(ours("{\"state\": [], \"isFinalInvokeForWindow\": true}").finalInvoke()).isTrue();
    }

    @Test
    void whatIsNotAnEventIsAClearError() {
        assertThatThrownBy(() -> ours("[1, 2]")).isInstanceOf(IOException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> ours("{\"state\": {\"a\": {\"b\": 1}}}")).isInstanceOf(IOException.class)
                .hasMessageContaining("state.a");
        assertThatThrownBy(() -> ours("{\"Records\": [{\"kinesis\": {\"data\": \"\"}}]}")).isInstanceOf(IOException.class)
                .hasMessageContaining("Records[0] has no kinesis.sequenceNumber");
        assertThatThrownBy(() -> ours("{\"Records\": [null]}")).isInstanceOf(IOException.class).hasMessageContaining("Records[0]");
        assertThatThrownBy(() -> ours("{\"window\": [], \"isFinalInvokeForWindow\": true}")).isInstanceOf(IOException.class)
                .hasMessageContaining("window");
        assertThatThrownBy(() -> ours("{\"shardId\": {\"a\": 1}}")).isInstanceOf(IOException.class).hasMessageContaining("shardId");
        assertThatThrownBy(() -> ours("{\"Records\": [{\"kinesis\": {\"sequenceNumber\": \"1\", \"data\": \"not base64!\"}}]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("Records[0].kinesis.data is not base64");
        assertThatThrownBy(() -> ours("{\"Records\": [{\"kinesis\": {\"sequenceNumber\": \"1\","
                + " \"approximateArrivalTimestamp\": \"soon\"}}]}")).isInstanceOf(IOException.class)
                .hasMessageContaining("approximateArrivalTimestamp is not a number");
        assertThatThrownBy(() -> ours("{\"state\": {}} trailing")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ours("{\"state\": {\"a\": ")).isInstanceOf(IOException.class);
    }

    @Test
    void theAnswerReadsBackThroughTheRuntimesSerializerAsTheStateAndNoFailures() throws IOException {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("v", "2");
        state.put("1", "9,3,4500000,300");
        state.put("quote\"and\\slash", "line\nbreak");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WindowEventJson.writeResponse(state, out);
        TimeWindowEventResponse read = RESPONSES.fromJson(new ByteArrayInputStream(out.toByteArray()));
        assertThat(read.getState()).isEqualTo(state);
        assertThat(read.getBatchItemFailures()).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"batchItemFailures\":[]");
    }
}
