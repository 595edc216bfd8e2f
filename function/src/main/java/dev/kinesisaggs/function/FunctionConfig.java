package dev.kinesisaggs.function;

import dev.kinesisaggs.function.storage.TableNames;
import java.time.Duration;
import java.util.Map;

/**
 * The function's configuration, from its environment.
 *
 * @param tables        {@code dynamoDBTableName} (default {@code kinesisAggs}), {@code tripsTableName},
 *                      {@code rejectsTableName} (empty = off)
 * @param region        {@code AWS_REGION}, or {@code null} to let the SDK decide
 * @param functionName  {@code AWS_LAMBDA_FUNCTION_NAME}, the metrics' dimension
 * @param safetyMargin  time kept back from retries to return the response
 */
public record FunctionConfig(TableNames tables, String region, String functionName, Duration safetyMargin) {

    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(3);

    public static FunctionConfig fromEnvironment(Map<String, String> env) {
        String region = env.get("AWS_REGION");
        return new FunctionConfig(TableNames.fromEnvironment(env),
                region == null || region.isBlank() ? null : region,
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "kinesis-aggs"),
                DEFAULT_SAFETY_MARGIN);
    }
}
