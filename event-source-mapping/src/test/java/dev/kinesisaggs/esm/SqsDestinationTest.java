package dev.kinesisaggs.esm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.destination.SqsDestination;
import dev.kinesisaggs.esm.invocation.EventJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsServiceClientConfiguration;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQS destination: the project has no SQS emulator (none on npm that the lockfile pins), so
 * this checks only what our code does with the client: which queue, which body.
 */
class SqsDestinationTest {

    /** Records the requests; the two calls our destination makes are all it answers. */
    private static final class RecordingSqs implements SqsClient {
        final List<GetQueueUrlRequest> lookups = new ArrayList<>();
        final List<SendMessageRequest> sent = new ArrayList<>();

        @Override
        public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest request) {
            lookups.add(request);
            return GetQueueUrlResponse.builder().queueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/" + request.queueName()).build();
        }

        @Override
        public SendMessageResponse sendMessage(SendMessageRequest request) {
            sent.add(request);
            return SendMessageResponse.builder().messageId("m1").build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public SqsServiceClientConfiguration serviceClientConfiguration() {
            return SqsServiceClientConfiguration.builder().build();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aQueueArnIsResolvedToItsUrlAndEachFailureRecordIsOneMessageWithTheRecordAsBody() {
        RecordingSqs sqs = new RecordingSqs();
        SqsDestination destination = SqsDestination.forQueue(sqs, "arn:aws:sqs:us-east-1:123456789012:esm-failures");
        ObjectNode record = EventJson.mapper().createObjectNode().put("version", "1.0");

        destination.deliver(record);

        assertThat(sqs.lookups).singleElement().satisfies(r -> {
            assertThat(r.queueName()).isEqualTo("esm-failures");
            assertThat(r.queueOwnerAWSAccountId()).isEqualTo("123456789012");
        });
        assertThat(sqs.sent).singleElement().satisfies(m -> {
            assertThat(m.queueUrl()).isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/esm-failures");
            assertThat(m.messageBody()).isEqualTo("{\"version\":\"1.0\"}");
        });
    }

    @Test
    void aQueueUrlIsUsedAsItIs() {
        RecordingSqs sqs = new RecordingSqs();
        SqsDestination.forQueue(sqs, "http://localhost:9324/000000000000/q").deliver(EventJson.mapper().createObjectNode());

        assertThat(sqs.lookups).isEmpty();
        assertThat(sqs.sent).singleElement().satisfies(m -> assertThat(m.queueUrl()).isEqualTo("http://localhost:9324/000000000000/q"));
    }
}
