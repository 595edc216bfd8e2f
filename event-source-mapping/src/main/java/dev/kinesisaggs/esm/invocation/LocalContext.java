package dev.kinesisaggs.esm.invocation;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda {@link Context} of one local invocation. The remaining time counts down, on the
 * injected clock, from the function timeout at the moment of the invoke, so a handler that
 * budgets its work by {@code getRemainingTimeInMillis()} behaves as on AWS.
 */
public final class LocalContext implements Context {

    private static final Logger FUNCTION_LOG = LoggerFactory.getLogger("dev.kinesisaggs.esm.function");

    private final String requestId;
    private final String functionArn;
    private final Instant deadline;
    private final Clock clock;

    public LocalContext(String requestId, String functionArn, Instant deadline, Clock clock) {
        this.requestId = requestId;
        this.functionArn = functionArn;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + getFunctionName();
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        int i = functionArn.lastIndexOf(':');
        return i >= 0 ? functionArn.substring(i + 1) : functionArn;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long left = deadline.toEpochMilli() - clock.millis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                FUNCTION_LOG.info(message);
            }

            @Override
            public void log(byte[] message) {
                FUNCTION_LOG.info(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
