package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Sends each failure record as one SQS message, as Lambda does for an SQS on-failure destination. */
public final class SqsDestination implements FailureDestination {

    private static final Logger LOG = LoggerFactory.getLogger(SqsDestination.class);
    private static final String ARN_PREFIX = "arn:aws:sqs:";
    /** The codes SQS answers with when the caller's policy does not allow the action (query and JSON protocols). */
    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException");

    private final SqsClient sqs;
    private final String queueUrl;
    private final boolean closesClient;

    public SqsDestination(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, false);
    }

    private SqsDestination(SqsClient sqs, String queueUrl, boolean closesClient) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.closesClient = closesClient;
    }

    /**
     * Accepts a queue URL, or a queue ARN ({@code arn:aws:sqs:region:account:name}), which it resolves
     * with GetQueueUrl (name and owner account; the ARN's region is the client's business). Checks that
     * the queue exists now, because a failure record that cannot be delivered is lost; a role allowed
     * only sqs:SendMessage (all Lambda needs) cannot check, which is logged and accepted.
     *
     * @throws IllegalStateException with one sentence saying what to do, when the queue does not exist, the ARN
     *                               is malformed or SQS cannot be reached
     */
    /** True for what names a queue: its ARN, or its URL. */
    public static boolean isQueue(String destination) {
        return destination.startsWith("arn:aws:sqs:") || (destination.startsWith("http") && destination.contains("/"));
    }

    public static SqsDestination forQueue(SqsClient sqs, String urlOrArn) {
        return forQueue(sqs, urlOrArn, false);
    }

    /** As {@link #forQueue(SqsClient, String)}, for a client made for this destination alone: closed with it, or at once if this throws. */
    public static SqsDestination forQueueClosingClient(SqsClient sqs, String urlOrArn) {
        try {
            return forQueue(sqs, urlOrArn, true);
        } catch (RuntimeException e) {
            sqs.close();
            throw e;
        }
    }

    private static SqsDestination forQueue(SqsClient sqs, String urlOrArn, boolean closesClient) {
        try {
            if (urlOrArn.startsWith(ARN_PREFIX)) {
                String[] parts = urlOrArn.split(":");
                if (parts.length != 6) {
                    throw new IllegalStateException("The on-failure destination " + urlOrArn
                            + " is not an SQS queue ARN: write it as arn:aws:sqs:REGION:ACCOUNT:QUEUE, or give the queue URL.");
                }
                try {
                    String url = sqs.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
                    return new SqsDestination(sqs, url, closesClient);
                } catch (SqsException e) {
                    if (isAccessDenied(e)) {
                        throw new IllegalStateException("Not allowed to look up the URL of the SQS queue " + urlOrArn
                                + " (the on-failure destination): allow sqs:GetQueueUrl, or give the queue URL instead of its ARN.", e);
                    }
                    throw e;
                }
            }
            try {
                sqs.getQueueAttributes(b -> b.queueUrl(urlOrArn).attributeNames(QueueAttributeName.QUEUE_ARN));
            } catch (SqsException e) {
                if (!isAccessDenied(e)) {
                    throw e;
                }
                LOG.atWarn().log(() -> "Cannot check that the SQS queue " + urlOrArn + " (the on-failure destination) exists:"
                        + " sqs:GetQueueAttributes is not allowed; failure records will be sent to it all the same");
            }
            return new SqsDestination(sqs, urlOrArn, closesClient);
        } catch (QueueDoesNotExistException e) {
            throw new IllegalStateException("The SQS queue " + urlOrArn + " (the on-failure destination) does not exist at "
                    + endpoint(sqs) + ": create it, or check the queue URL/ARN and the SQS endpoint.", e);
        } catch (SdkClientException e) {
            throw new IllegalStateException("Cannot reach SQS at " + endpoint(sqs) + " to check the on-failure destination "
                    + urlOrArn + " (" + e.getMessage() + "): check the SQS endpoint (AWS_ENDPOINT_URL_SQS), AWS_REGION and your credentials.", e);
        } catch (SqsException e) {
            throw new IllegalStateException("SQS refused the on-failure destination " + urlOrArn + " ("
                    + (e.awsErrorDetails() != null ? e.awsErrorDetails().errorMessage() : e.getMessage()) + "): check the queue URL/ARN and your permissions on it.", e);
        }
    }

    private static boolean isAccessDenied(SqsException e) {
        return e.statusCode() == 403 || (e.awsErrorDetails() != null && ACCESS_DENIED.contains(e.awsErrorDetails().errorCode()));
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

    @Override
    public void close() {
        if (closesClient) {
            sqs.close();
        }
    }
}
