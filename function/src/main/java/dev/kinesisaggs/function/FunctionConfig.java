package dev.kinesisaggs.function;

import dev.kinesisaggs.function.tables.TableNames;
import java.time.Duration;
import java.util.Map;

/**
 * The function's configuration, from its environment.
 *
 * @param tables           {@code dynamoDBTableName} (default {@code kinesisAggs}), {@code tripsTableName},
 *                         {@code rejectsTableName} (empty = off)
 * @param region           {@code AWS_REGION}, or {@code null} to let the SDK decide
 * @param functionName     {@code AWS_LAMBDA_FUNCTION_NAME}, the metrics' dimension
 * @param service          {@code POWERTOOLS_SERVICE_NAME} (default {@code kinesis-aggs}), the log line's
 *                         {@code service} and the metrics' {@code Service} dimension
 * @param metricsNamespace {@code POWERTOOLS_METRICS_NAMESPACE} (default {@code KinesisAggs}), the metrics' namespace
 * @param safetyMargin     time kept back from retries to return the response
 */
public record FunctionConfig(TableNames tables, String region, String functionName, String service,
                             String metricsNamespace, Duration safetyMargin) {

    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(3);
    /** The variables Powertools for AWS Lambda reads, so that a function configured for it is configured for us. */
    public static final String SERVICE_VARIABLE = "POWERTOOLS_SERVICE_NAME";
    public static final String METRICS_NAMESPACE_VARIABLE = "POWERTOOLS_METRICS_NAMESPACE";
    public static final String DEFAULT_SERVICE = "kinesis-aggs";
    public static final String DEFAULT_METRICS_NAMESPACE = "KinesisAggs";

    public FunctionConfig {
        service = blankTo(service, DEFAULT_SERVICE);
        metricsNamespace = blankTo(metricsNamespace, DEFAULT_METRICS_NAMESPACE);
    }

    /** With the default service and metrics namespace. */
    public FunctionConfig(TableNames tables, String region, String functionName, Duration safetyMargin) {
        this(tables, region, functionName, DEFAULT_SERVICE, DEFAULT_METRICS_NAMESPACE, safetyMargin);
    }

    public static FunctionConfig fromEnvironment(Map<String, String> env) {
        String region = env.get("AWS_REGION");
        return new FunctionConfig(TableNames.fromEnvironment(env),
                region == null || region.isBlank() ? null : region,
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "kinesis-aggs"),
                env.get(SERVICE_VARIABLE), env.get(METRICS_NAMESPACE_VARIABLE),
                DEFAULT_SAFETY_MARGIN);
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
