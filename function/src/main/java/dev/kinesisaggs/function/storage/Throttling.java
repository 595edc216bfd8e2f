package dev.kinesisaggs.function.storage;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Tells which failures of a DynamoDB call are worth retrying later, and which are bugs. */
final class Throttling {

    /** DynamoDB's throttling codes; {@code ThrottlingException} has no modelled class. */
    private static final Set<String> THROTTLING_CODES = Set.of(
            "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
            "Throttling", "TooManyRequestsException");

    private Throttling() {
    }

    static boolean isThrottling(Throwable e) {
        return e instanceof AwsServiceException service && (THROTTLING_CODES.contains(errorCode(e)) || service.statusCode() == 429);
    }

    /** DynamoDB's error code of a failed call ({@code ValidationException}, ...); "" for a failure without one. */
    static String errorCode(Throwable e) {
        return e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null ? service.awsErrorDetails().errorCode() : "";
    }

    /**
     * Throttling, a server-side error, or a client-side failure (time-out, broken connection):
     * the same request may succeed later. Anything else (a validation error, a missing table,
     * wrong credentials) will not, and is thrown to the caller.
     */
    static boolean isRetryable(Throwable e) {
        if (isThrottling(e)) {
            return true;
        }
        if (e instanceof AwsServiceException service) {
            return service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }
}
