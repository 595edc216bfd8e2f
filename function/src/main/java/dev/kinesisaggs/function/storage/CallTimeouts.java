package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.function.retry.RetryBudget;
import java.time.Duration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * Per-call time limits derived from what the invocation has left. On its defaults, the SDK
 * retried a throttled DynamoDB call for 50-58 s, nearly a whole Lambda timeout; each call is
 * therefore cut at the budget's deadline.
 *
 * @param maxCall     the longest a call may take, attempts included
 * @param maxAttempt  the longest one attempt may take
 * @param minimumCall below this much time left, starting a call is pointless
 */
public record CallTimeouts(Duration maxCall, Duration maxAttempt, Duration minimumCall) {

    public static CallTimeouts defaults() {
        return new CallTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofMillis(50));
    }

    public AwsRequestOverrideConfiguration forBudget(RetryBudget budget) {
        Duration call = budget.callTimeout(maxCall);
        if (call.compareTo(minimumCall) < 0) {
            call = minimumCall;
        }
        Duration attempt = call.compareTo(maxAttempt) < 0 ? call : maxAttempt;
        return AwsRequestOverrideConfiguration.builder().apiCallTimeout(call).apiCallAttemptTimeout(attempt).build();
    }
}
