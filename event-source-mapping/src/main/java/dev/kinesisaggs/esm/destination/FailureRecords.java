package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds the on-failure record exactly as AWS documents it for SQS/SNS destinations (spec §5.6). */
public final class FailureRecords {

    /** Retries were exhausted (also after bisecting down to the record). */
    public static final String RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted";
    /** Records older than MaximumRecordAgeInSeconds; such records carry no responseContext. */
    public static final String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";
    /**
     * A single record whose event alone exceeds 6 MB. AWS says such records go to the destination but
     * not with which condition; this name is ours (see README).
     */
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";

    private FailureRecords() {
    }

    /**
     * @param functionError empty to omit {@code responseContext} (RecordAgeExceeded, oversize record);
     *                      otherwise the function error, which may be null (a returned response that failed the batch)
     */
    public static ObjectNode of(String requestId, String functionArn, String condition, int approximateInvokeCount,
                                Optional<Optional<String>> functionError, Instant timestamp, String streamArn,
                                List<StreamRecord> records) {
        return of(requestId, functionArn, condition, approximateInvokeCount, functionError, timestamp, streamArn,
                records.get(0), records.get(records.size() - 1), records.size());
    }

    /** The same, for a run of records known by its first and last record and its length. */
    public static ObjectNode of(String requestId, String functionArn, String condition, int approximateInvokeCount,
                                Optional<Optional<String>> functionError, Instant timestamp, String streamArn,
                                StreamRecord first, StreamRecord last, int batchSize) {
        ObjectNode root = EventJson.mapper().createObjectNode();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", requestId);
        request.put("functionArn", functionArn);
        request.put("condition", condition);
        request.put("approximateInvokeCount", approximateInvokeCount);
        if (functionError.isPresent()) {
            ObjectNode response = root.putObject("responseContext");
            response.put("statusCode", 200);
            response.put("executedVersion", "$LATEST");
            response.put("functionError", functionError.get().orElse(null));
        }
        root.put("version", "1.0");
        root.put("timestamp", EventJson.millisZ(timestamp));
        ObjectNode info = root.putObject("KinesisBatchInfo");
        info.put("shardId", first.shardId());
        info.put("startSequenceNumber", first.sequenceNumber());
        info.put("endSequenceNumber", last.sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", EventJson.millisZ(first.approximateArrivalTimestamp()));
        info.put("approximateArrivalOfLastRecord", EventJson.millisZ(last.approximateArrivalTimestamp()));
        info.put("batchSize", batchSize);
        info.put("streamArn", streamArn);
        return root;
    }
}
