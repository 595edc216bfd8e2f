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
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One JSON line per invocation that is both the structured log line and the CloudWatch metrics,
 * in Embedded Metric Format: CloudWatch Logs turns the {@code _aws} block into metrics, and the
 * other fields stay searchable with Logs Insights. Written by hand with jackson-core: Powertools
 * metrics did the same job for a larger cold start (see the function README for the figures).
 */
public final class InvocationLog {

    /** The CloudWatch namespace of the metrics. */
    public static final String NAMESPACE = "KinesisAggs";

    private static final JsonFactory JSON = new JsonFactory();
    private static final String[][] METRICS = {
            {"RecordsIn", "Count"}, {"UserRecords", "Count"}, {"CleanTrips", "Count"}, {"RejectedRecords", "Count"},
            {"CountedTrips", "Count"}, {"DuplicateTrips", "Count"}, {"RefusedTrips", "Count"}, {"QuarantineDropped", "Count"},
            {"WriteRetries", "Count"}, {"PartsWritten", "Count"}, {"DurationMs", "Milliseconds"}};

    private final PrintStream out;
    private final String functionName;

    public InvocationLog(PrintStream out, String functionName) {
        this.out = Objects.requireNonNull(out, "out");
        this.functionName = functionName == null || functionName.isEmpty() ? "kinesis-aggs" : functionName;
    }

    public void success(ShardBatch batch, BatchResult result, Instant now, Duration took) {
        out.println(line(batch, result.stats(), null, now, took));
    }

    public void failure(ShardBatch batch, RuntimeException error, Instant now, Duration took) {
        out.println(line(batch, null, error, now, took));
    }

    String line(ShardBatch batch, InvocationStats s, RuntimeException error, Instant now, Duration took) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeObjectFieldStart("_aws");
            g.writeNumberField("Timestamp", now.toEpochMilli());
            g.writeArrayFieldStart("CloudWatchMetrics");
            g.writeStartObject();
            g.writeStringField("Namespace", NAMESPACE);
            g.writeArrayFieldStart("Dimensions");
            g.writeStartArray();
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
            if (error != null) {
                g.writeStartObject();
                g.writeStringField("Name", "FailedInvocations");
                g.writeStringField("Unit", "Count");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();

            g.writeStringField("FunctionName", functionName);
            g.writeStringField("level", error == null ? "INFO" : "ERROR");
            g.writeStringField("message", error == null ? "invocation done" : "invocation failed");
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
