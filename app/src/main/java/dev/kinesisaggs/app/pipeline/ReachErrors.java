package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.app.UserError;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Turns the SDK's "cannot even send the request" errors into one sentence that says what to set. */
final class ReachErrors {
    private ReachErrors() {
    }

    static UserError cannotReach(String services, SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unable to load region")) {
            return new UserError("No AWS region is set: set AWS_REGION (and credentials) to use AWS, or paste the export"
                    + " lines that 'kinesis-aggs local' prints to use the emulators.");
        }
        if (message.contains("Unable to load credentials")) {
            return new UserError("No AWS credentials were found: configure them (aws configure, AWS_PROFILE, ...) to use AWS,"
                    + " or paste the export lines that 'kinesis-aggs local' prints to use the emulators.");
        }
        return new UserError("Cannot reach " + services + " (" + message + "): check the endpoint variables"
                + " (AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL_DYNAMODB), or AWS_REGION and your credentials.");
    }
}
