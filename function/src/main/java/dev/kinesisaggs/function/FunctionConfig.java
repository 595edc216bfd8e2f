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
 * @param callsInFlight    the DynamoDB calls made at once, from {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE} ({@link #callsInFlight(int)})
 */
public record FunctionConfig(TableNames tables, String region, String functionName, String service,
                             String metricsNamespace, Duration safetyMargin, int callsInFlight) {

    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofSeconds(3);
    /** The variables Powertools for AWS Lambda reads, so that a function configured for it is configured for us. */
    public static final String SERVICE_VARIABLE = "POWERTOOLS_SERVICE_NAME";
    public static final String METRICS_NAMESPACE_VARIABLE = "POWERTOOLS_METRICS_NAMESPACE";
    public static final String DEFAULT_SERVICE = "kinesis-aggs";
    public static final String DEFAULT_METRICS_NAMESPACE = "KinesisAggs";

    /**
     * The least memory the function runs with, the template's {@code MinValue}: the java21 runtime gives the JVM a
     * metaspace of a tenth of the memory, and at 128 MB (13 MB) the function's classes do not fit: every invocation
     * ends in {@code OutOfMemoryError: Metaspace} (found by a probe, under the runtime client); 256 MB uses 113-121 MB.
     */
    public static final int MIN_MEMORY_MB = 256;

    /** Lambda gives a function one vCPU per this much memory (and a share of one below it). */
    static final int MB_PER_VCPU = 1769;
    /** DynamoDB calls in flight per vCPU, and the bounds of {@link #callsInFlight(int)}. */
    static final int CALLS_IN_FLIGHT_PER_VCPU = 32;
    static final int FEWEST_CALLS_IN_FLIGHT = 16;
    static final int MOST_CALLS_IN_FLIGHT = 128;

    /**
     * The trips' insert calls made at once: a quarter of the calls in flight, 4 to 32. Each carries 25 trips, so 8 of
     * them at one vCPU keep 200 trips in flight, 10,000 trips a second at a 20 ms round trip; more would only queue
     * at DynamoDB (and, locally, at the emulator, which writes one item at a time).
     */
    public int insertCallsInFlight() {
        return Math.max(4, callsInFlight / 4);
    }

    public FunctionConfig {
        service = blankTo(service, DEFAULT_SERVICE);
        metricsNamespace = blankTo(metricsNamespace, DEFAULT_METRICS_NAMESPACE);
        if (callsInFlight < 1) {
            throw new IllegalArgumentException("callsInFlight must be 1 or more, not " + callsInFlight);
        }
    }

    /** With the calls in flight of one vCPU. */
    public FunctionConfig(TableNames tables, String region, String functionName, String service, String metricsNamespace,
                          Duration safetyMargin) {
        this(tables, region, functionName, service, metricsNamespace, safetyMargin, callsInFlight(MB_PER_VCPU));
    }

    /** With the default service and metrics namespace. */
    public FunctionConfig(TableNames tables, String region, String functionName, Duration safetyMargin) {
        this(tables, region, functionName, DEFAULT_SERVICE, DEFAULT_METRICS_NAMESPACE, safetyMargin);
    }

    /**
     * How many DynamoDB calls the function keeps in flight at a memory size: 32 per vCPU Lambda gives it (in proportion
     * to the memory, one vCPU at 1,769 MB), from 16 to 128: the writers' threads, and the connections kept open. They
     * were sized when each clean trip was a call of its own (a conditional PutItem of about 0.5 ms of CPU and, on AWS, a
     * round trip of 5 to 10 ms: with {@code SaturatedShard --latency 10ms} at one vCPU, 929 trips/s with 16 in flight,
     * 1,340 with 64); the trips' inserts, 25 to a call, now take a quarter of them ({@link #insertCallsInFlight}), the
     * large batches' look-ups and the window parts' writes all of them.
     */
    public static int callsInFlight(int memoryMb) {
        long proportional = Math.round((double) CALLS_IN_FLIGHT_PER_VCPU * memoryMb / MB_PER_VCPU);
        return (int) Math.max(FEWEST_CALLS_IN_FLIGHT, Math.min(MOST_CALLS_IN_FLIGHT, proportional));
    }

    public static FunctionConfig fromEnvironment(Map<String, String> env) {
        String region = env.get("AWS_REGION");
        return new FunctionConfig(TableNames.fromEnvironment(env),
                region == null || region.isBlank() ? null : region,
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "kinesis-aggs"),
                env.get(SERVICE_VARIABLE), env.get(METRICS_NAMESPACE_VARIABLE),
                DEFAULT_SAFETY_MARGIN, callsInFlight(memoryMb(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"))));
    }

    /** Lambda's memory size variable; one vCPU's worth when it is not set or not a number (a local run). */
    private static int memoryMb(String variable) {
        try {
            return variable == null ? MB_PER_VCPU : Integer.parseInt(variable.strip());
        } catch (NumberFormatException e) {
            return MB_PER_VCPU;
        }
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
