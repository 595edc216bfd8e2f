package dev.kinesisaggs.esm.invocation;

import com.amazonaws.services.lambda.runtime.Context;

/**
 * A function as the mapping sees it: event JSON in, response JSON out (null or "" for no
 * response), exactly as the Lambda runtime sits between the service and the handler.
 * Build one from a handler with {@link LambdaHandlers}.
 */
@FunctionalInterface
public interface LambdaFunction {
    String invoke(String eventJson, Context context) throws Exception;
}
