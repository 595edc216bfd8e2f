package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.esm.invocation.LambdaHandlers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handlers are adapted as the Lambda Java runtime adapts them. */
class LambdaHandlersTest {

    public static final class WindowHandler implements RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> {
        @Override
        public TimeWindowEventResponse handleRequest(KinesisTimeWindowEvent event, com.amazonaws.services.lambda.runtime.Context context) {
            return TimeWindowEventResponse.builder().withState(Map.of("shard", event.getShardId(), "final", String.valueOf(event.getIsFinalInvokeForWindow()),
                    "start", event.getWindow().getStart(), "arn", event.getEventSourceArn())).build();
        }
    }

    public static final class PlainHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
        @Override
        public StreamsEventResponse handleRequest(KinesisEvent event, com.amazonaws.services.lambda.runtime.Context context) {
            return StreamsEventResponse.builder().withBatchItemFailures(List.of(StreamsEventResponse.BatchItemFailure.builder()
                    .withItemIdentifier(event.getRecords().get(0).getKinesis().getSequenceNumber()).build())).build();
        }
    }

    private static final String WINDOW_EVENT = """
            {"Records":[],"window":{"start":"2020-12-09T07:04:00Z","end":"2020-12-09T07:06:00Z"},"state":{"1":"282"},
             "shardId":"shardId-000000000006","eventSourceARN":"arn:aws:kinesis:us-east-1:123456789012:stream/lambda-stream",
             "isFinalInvokeForWindow":true,"isWindowTerminatedEarly":false}""";

    @Test
    void aTimeWindowHandlerReadsTheWindowEventAndItsResponseIsWrittenWithCamelCaseKeys() throws Exception {
        String response = LambdaHandlers.forHandlerClass(WindowHandler.class.getName()).invoke(WINDOW_EVENT, null);

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response);
        assertThat(json.path("state").path("shard").asText()).isEqualTo("shardId-000000000006");
        assertThat(json.path("state").path("final").asText()).isEqualTo("true");
        assertThat(json.path("state").path("start").asText()).isEqualTo("2020-12-09T07:04:00Z");
        assertThat(json.path("state").path("arn").asText()).isEqualTo("arn:aws:kinesis:us-east-1:123456789012:stream/lambda-stream");
    }

    @Test
    void aPlainHandlersBatchItemFailuresAreWrittenAsLambdaReadsThem() throws Exception {
        String event = """
                {"Records":[{"kinesis":{"kinesisSchemaVersion":"1.0","partitionKey":"1","sequenceNumber":"4959","data":"SGk=",
                "approximateArrivalTimestamp":1545084650.987},"eventSource":"aws:kinesis","eventID":"shardId-000000000006:4959",
                "eventSourceARN":"arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream"}]}""";

        String response = LambdaHandlers.forHandler(new PlainHandler()).invoke(event, null);

        assertThat(response).isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"4959\"}]}");
    }

    @Test
    void aHandlerOfAnotherEventIsRefusedWithOneSentence() {
        RequestHandler<String, String> wrong = new RequestHandler<>() {
            @Override
            public String handleRequest(String input, com.amazonaws.services.lambda.runtime.Context context) {
                return input;
            }
        };
        assertThatThrownBy(() -> LambdaHandlers.forHandler(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("must implement RequestHandler<KinesisEvent, ...> or RequestHandler<KinesisTimeWindowEvent, ...> with the type written out, not String.");
        assertThatThrownBy(() -> LambdaHandlers.forHandlerClass("no.such.Handler")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No handler class no.such.Handler on the class path: check the name and the class path.");
    }
}
