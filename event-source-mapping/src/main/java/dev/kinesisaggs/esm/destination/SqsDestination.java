package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Sends each failure record as one SQS message, as Lambda does for an SQS on-failure destination. */
public final class SqsDestination implements FailureDestination {

    private static final String ARN_PREFIX = "arn:aws:sqs:";

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDestination(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /**
     * Accepts a queue URL, or a queue ARN ({@code arn:aws:sqs:region:account:name}), which it resolves
     * with GetQueueUrl (name and owner account; the ARN's region is the client's business). Checks that
     * the queue exists now, because a failure record that cannot be delivered is lost.
     *
     * @throws IllegalStateException with one sentence saying what to do, when the queue does not exist
     */
    public static SqsDestination forQueue(SqsClient sqs, String urlOrArn) {
        try {
            if (urlOrArn.startsWith(ARN_PREFIX)) {
                String[] parts = urlOrArn.split(":");
                if (parts.length != 6) {
                    throw new IllegalArgumentException("The on-failure destination " + urlOrArn
                            + " is not an SQS queue ARN: write it as arn:aws:sqs:REGION:ACCOUNT:QUEUE, or give the queue URL.");
                }
                String url = sqs.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
                return new SqsDestination(sqs, url);
            }
            sqs.getQueueAttributes(b -> b.queueUrl(urlOrArn).attributeNames(QueueAttributeName.QUEUE_ARN));
            return new SqsDestination(sqs, urlOrArn);
        } catch (QueueDoesNotExistException e) {
            throw new IllegalStateException("The SQS queue " + urlOrArn + " (the on-failure destination) does not exist at "
                    + endpoint(sqs) + ": create it, or check the queue URL/ARN and the SQS endpoint.", e);
        }
    }

    private static String endpoint(SqsClient sqs) {
        return sqs.serviceClientConfiguration().endpointOverride().map(Object::toString)
                .orElse("AWS (" + sqs.serviceClientConfiguration().region() + ")");
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
