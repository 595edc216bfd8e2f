package dev.kinesisaggs.function.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kinesisaggs.core.trip.RejectReason;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One JSON line per invocation that is both the structured log line and the CloudWatch metrics,
 * in Embedded Metric Format: CloudWatch Logs turns the {@code _aws} block into metrics, and the
 * other fields stay searchable with Logs Insights. Written by hand with jackson-core: Powertools
 * metrics did the same job for a larger cold start (see the function README for the figures).
 * <p>
 * The log keys are those of Powertools for AWS Lambda (Java)'s logging ({@code timestamp}, {@code level},
 * {@code message}, {@code service}, {@code cold_start}, {@code function_request_id}, {@code xray_trace_id}:
 * docs.aws.amazon.com/powertools/java, Logging, "Standard structured keys"), so that the queries and
 * dashboards made for functions that use it work on ours. The metrics are in the namespace of
 * {@code POWERTOOLS_METRICS_NAMESPACE} with Powertools' {@code Service} dimension (its {@code MetricsBuilder}
 * sets {@code DimensionSet.of("Service", service)}) next to {@code FunctionName}; the EMF rules are
 * CloudWatch's "Specification: Embedded metric format".
 */
public final class InvocationLog {

    /** The system property that Lambda's Java runtime sets to the X-Ray trace header of each invocation. */
    public static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    /** The environment variable that carries the trace header where a runtime can set it per invocation. */
    public static final String TRACE_HEADER_VARIABLE = "_X_AMZN_TRACE_ID";

    private static final JsonFactory JSON = new JsonFactory();
    /** Always three fraction digits, as Powertools writes it ({@code Instant.toString()} drops zero millis). */
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();
    private static final String[][] METRICS = {
            {"RecordsIn", "Count"}, {"UserRecords", "Count"}, {"CleanTrips", "Count"}, {"RejectedRecords", "Count"},
            {"CountedTrips", "Count"}, {"DuplicateTrips", "Count"}, {"RefusedTrips", "Count"}, {"QuarantineDropped", "Count"},
            {"WriteRetries", "Count"}, {"PartsWritten", "Count"}, {"DurationMs", "Milliseconds"}};

    private final PrintStream out;
    private final String namespace;
    private final String service;
    private final String functionName;
    private final ColdStart coldStart;
    private final Supplier<String> traceHeader;

    /**
     * @param namespace    the metrics' CloudWatch namespace
     * @param service      the {@code service} log key and the {@code Service} dimension
     * @param functionName the {@code FunctionName} dimension
     * @param coldStart    the execution environment's cold start flag
     * @param traceHeader  the current invocation's X-Ray trace header ({@code Root=1-...;Parent=...;Sampled=1}),
     *                     or null
     */
    public InvocationLog(PrintStream out, String namespace, String service, String functionName, ColdStart coldStart,
                         Supplier<String> traceHeader) {
        this.out = Objects.requireNonNull(out, "out");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.service = Objects.requireNonNull(service, "service");
        this.functionName = functionName == null || functionName.isEmpty() ? "kinesis-aggs" : functionName;
        this.coldStart = Objects.requireNonNull(coldStart, "coldStart");
        this.traceHeader = Objects.requireNonNull(traceHeader, "traceHeader");
    }

    /**
     * The trace header as Lambda gives it: the Java runtime sets the system property per invocation (a JVM
     * cannot change its own environment); the variable is read when there is no property. Powertools reads
     * the variable first, but in this runtime the property is the one kept current.
     */
    public static Supplier<String> lambdaTraceHeader() {
        return () -> {
            String header = System.getProperty(TRACE_HEADER_PROPERTY);
            return header != null ? header : System.getenv(TRACE_HEADER_VARIABLE);
        };
    }

    /** The trace id that Powertools logs: the header's {@code Root} value; null without one. */
    static String traceId(String header) {
        if (header == null) {
            return null;
        }
        for (String field : header.split(";")) {
            String f = field.strip();
            if (f.startsWith("Root=") && f.length() > "Root=".length()) {
                return f.substring("Root=".length());
            }
        }
        return null;
    }

    public void success(ShardBatch batch, BatchResult result, String requestId, Instant now, Duration took) {
        out.println(line(batch, result.stats(), null, requestId, now, took));
    }

    public void failure(ShardBatch batch, RuntimeException error, String requestId, Instant now, Duration took) {
        out.println(line(batch, null, error, requestId, now, took));
    }

    String line(ShardBatch batch, InvocationStats s, RuntimeException error, String requestId, Instant now, Duration took) {
        boolean cold = coldStart.take();
        String traceId = traceId(traceHeader.get());
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", now.toEpochMilli());
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
            g.writeString("Service");
            g.writeString("FunctionName");
            g.writeEndArray();
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            for (String[] m : METRICS) {
                if (s != null || m[0].equals("DurationMs")) {
                    g.writeStartObject();
                    g.writeStringField("Name", m[0]);
                    g.writeStringField("Unit", m[1]);
                    g.writeEndObject();
                }
            }
            // on every invocation, 0 or 1: its average is the failure rate, and an alarm on it sees the successes
            g.writeStartObject();
            g.writeStringField("Name", "FailedInvocations");
            g.writeStringField("Unit", "Count");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();

            g.writeStringField("timestamp", TIMESTAMP.format(now));
            g.writeStringField("level", error == null ? "INFO" : "ERROR");
            g.writeStringField("message", error == null ? "invocation done" : "invocation failed");
            g.writeStringField("service", service);
            g.writeBooleanField("cold_start", cold);
            g.writeStringField("function_request_id", requestId);
            if (traceId != null) {
                g.writeStringField("xray_trace_id", traceId);
            }
            // the dimensions' values (EMF reads them from members of these names)
            g.writeStringField("Service", service);
            g.writeStringField("FunctionName", functionName);
            g.writeStringField("shardId", batch.shardId());
            g.writeStringField("windowStart", batch.windowStart());
            g.writeStringField("windowEnd", batch.windowEnd());
            g.writeBooleanField("finalInvoke", batch.finalInvoke());
            g.writeBooleanField("terminatedEarly", batch.terminatedEarly());
            if (!batch.records().isEmpty()) {
                // which records this invocation carried: to tell a retry of the same batch from the next batch
                g.writeStringField("firstSequenceNumber", batch.records().get(0).sequenceNumber());
                g.writeStringField("lastSequenceNumber", batch.records().get(batch.records().size() - 1).sequenceNumber());
            }
            if (s != null) {
                g.writeNumberField("RecordsIn", s.recordsIn());
                g.writeNumberField("UserRecords", s.userRecords());
                g.writeNumberField("CleanTrips", s.clean());
                g.writeNumberField("RejectedRecords", s.rejected());
                g.writeObjectFieldStart("rejectedByReason");
                for (Map.Entry<RejectReason, Integer> e : new TreeMap<>(s.rejectedByReason()).entrySet()) {
                    g.writeNumberField(e.getKey().name(), e.getValue());
                }
                g.writeEndObject();
                g.writeNumberField("CountedTrips", s.counted());
                g.writeNumberField("DuplicateTrips", s.duplicates());
                g.writeNumberField("RefusedTrips", s.refused());
                g.writeNumberField("quarantineItems", s.quarantineItems());
                g.writeNumberField("QuarantineDropped", s.quarantineDropped());
                g.writeNumberField("WriteRetries", s.writeRetries());
                g.writeNumberField("PartsWritten", s.partsWritten());
                g.writeNumberField("aggregateItems", s.aggregateItems());
                g.writeNumberField("partsAlreadyWhole", s.partsAlreadyWhole());
                g.writeNumberField("FailedInvocations", 0);
            } else {
                g.writeNumberField("RecordsIn", batch.records().size());
                g.writeNumberField("FailedInvocations", 1);
                g.writeStringField("error", error.getClass().getSimpleName() + ": " + error.getMessage());
            }
            g.writeNumberField("DurationMs", took.toMillis());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
