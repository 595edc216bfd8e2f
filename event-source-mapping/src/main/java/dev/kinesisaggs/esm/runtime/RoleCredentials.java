package dev.kinesisaggs.esm.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The credentials an execution environment gets, as Lambda hands a function its execution role's:
 * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and, for temporary ones,
 * {@code AWS_SESSION_TOKEN}, resolved once when the environment starts.
 */
final class RoleCredentials {

    private RoleCredentials() {
    }

    /** The variables; none when no credentials can be found here (the function's own SDK calls then say so). */
    static Map<String, String> asVariables(AwsCredentialsProvider provider) {
        Map<String, String> env = new LinkedHashMap<>();
        AwsCredentials c;
        try {
            c = provider.resolveCredentials();
        } catch (SdkClientException e) {
            return env;
        }
        if (c.accessKeyId() == null || c.secretAccessKey() == null) {
            return env; // anonymous: the function signs nothing
        }
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        if (c instanceof AwsSessionCredentials session) {
            env.put("AWS_SESSION_TOKEN", session.sessionToken());
        }
        return env;
    }
}
