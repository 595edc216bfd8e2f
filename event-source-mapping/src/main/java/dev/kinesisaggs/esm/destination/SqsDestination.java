package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends each failure record as one SQS message, as Lambda does for an SQS on-failure destination. */
public final class SqsDestination implements FailureDestination {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDestination(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Accepts a queue URL, or a queue ARN ({@code arn:aws:sqs:region:account:name}), which it resolves. */
    public static SqsDestination forQueue(SqsClient sqs, String urlOrArn) {
        if (urlOrArn.startsWith("arn:aws:sqs:")) {
            String[] parts = urlOrArn.split(":");
            String url = sqs.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
            return new SqsDestination(sqs, url);
        }
        return new SqsDestination(sqs, urlOrArn);
    }

    @Override
    public void deliver(ObjectNode failureRecord) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(EventJson.write(failureRecord)));
    }

    @Override
    public String describe() {
        return "SQS " + queueUrl;
    }
}
