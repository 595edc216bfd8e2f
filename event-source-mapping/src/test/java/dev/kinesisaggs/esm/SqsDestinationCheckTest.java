package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.destination.SqsDestination;
import dev.kinesisaggs.esm.emulators.ElasticMq;
import dev.kinesisaggs.esm.invocation.EventJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the SQS on-failure destination checks its queue when the mapping is built, against ElasticMQ:
 * a role allowed only to send still works; a bad ARN or an unreachable SQS is one sentence.
 */
class SqsDestinationCheckTest {

    private static final String ACCOUNT = "123456789012";
    private static ElasticMq elasticMq;
    private static SqsClient sqs;

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

    /** What SQS answers a role whose policy allows sqs:SendMessage but not sqs:GetQueueAttributes. */
    private static final class DeniesGetQueueAttributes implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetQueueAttributesRequest) {
                throw SqsException.builder().statusCode(403)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").serviceName("Sqs")
                                .errorMessage("not authorized to perform: sqs:GetQueueAttributes").build())
                        .message("not authorized to perform: sqs:GetQueueAttributes").build();
            }
        }
    }

    @Test
    void aRoleAllowedOnlyToSendMessagesStillGetsItsFailureRecordsDelivered() {
        String queueUrl = sqs.createQueue(b -> b.queueName("esm-send-only-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
        try (SqsClient sendOnly = elasticMq.newClient(new DeniesGetQueueAttributes())) {
            SqsDestination destination = SqsDestination.forQueue(sendOnly, queueUrl);

            destination.deliver(EventJson.mapper().createObjectNode().put("failure", "record"));
        }

        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
        assertThat(messages).extracting(Message::body).containsExactly("{\"failure\":\"record\"}");
    }

    @Test
    void aMalformedQueueArnIsOneSentenceSayingHowToWriteIt() {
        assertThatThrownBy(() -> SqsDestination.forQueue(sqs, "arn:aws:sqs:us-east-1:failures"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("arn:aws:sqs:REGION:ACCOUNT:QUEUE");
    }

    @Test
    void anUnreachableSqsIsOneSentenceNamingTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        try (SqsClient unreachable = ElasticMq.clientFor(nowhere)) {
            assertThatThrownBy(() -> SqsDestination.forQueue(unreachable, nowhere + "/" + ACCOUNT + "/failures"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Cannot reach SQS at " + nowhere)
                    .hasMessageContaining("AWS_ENDPOINT_URL_SQS");
        }
    }
}
