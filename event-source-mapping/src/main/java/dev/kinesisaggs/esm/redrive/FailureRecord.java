package dev.kinesisaggs.esm.redrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.invocation.EventJson;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One on-failure record of a Kinesis event source mapping, as AWS documents it (and as this mapping writes it): the
 * records of one shard that were given up, from {@code startSequenceNumber} to {@code endSequenceNumber}.
 *
 * @param condition why they were given up ({@code RetryAttemptsExhausted}, {@code RecordAgeExceeded}, ...)
 */
public record FailureRecord(String streamArn, String shardId, String startSequenceNumber, String endSequenceNumber,
                            Instant firstArrival, Instant lastArrival, int batchSize, String condition) {

    public FailureRecord {
        Objects.requireNonNull(streamArn, "streamArn");
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(startSequenceNumber, "startSequenceNumber");
        Objects.requireNonNull(endSequenceNumber, "endSequenceNumber");
        Objects.requireNonNull(firstArrival, "firstArrival");
        Objects.requireNonNull(lastArrival, "lastArrival");
    }

    /**
     * Reads one record.
     *
     * @throws IllegalArgumentException with one sentence naming what is missing, for JSON that is not such a record
     */
    public static FailureRecord parse(String json) {
        JsonNode root;
        try {
            root = EventJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("it is not JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode info = root == null ? null : root.get("KinesisBatchInfo");
        if (info == null || !info.isObject()) {
            throw new IllegalArgumentException("it has no KinesisBatchInfo: it is not the on-failure record of a Kinesis event source mapping");
        }
        String shardId = text(info, "shardId");
        String start = sequenceNumber(info, "startSequenceNumber");
        String end = sequenceNumber(info, "endSequenceNumber");
        if (new BigInteger(end).compareTo(new BigInteger(start)) < 0) {
            throw new IllegalArgumentException("its endSequenceNumber is before its startSequenceNumber");
        }
        JsonNode condition = root.path("requestContext").get("condition");
        return new FailureRecord(text(info, "streamArn"), shardId, start, end,
                instant(info, "approximateArrivalOfFirstRecord"), instant(info, "approximateArrivalOfLastRecord"),
                info.path("batchSize").asInt(0), condition == null || !condition.isTextual() ? "unknown" : condition.asText());
    }

    /** The stream's name, the last part of its ARN. */
    public String streamName() {
        return streamName(streamArn);
    }

    /** A stream's name from its ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}): its last part. */
    static String streamName(String streamArn) {
        return streamArn.substring(streamArn.lastIndexOf('/') + 1);
    }

    /** This record's stream ARN with another stream's name in it: the same region and account. */
    String streamArnNamed(String otherStream) {
        return streamArn.substring(0, streamArn.lastIndexOf('/') + 1) + otherStream;
    }

    /** One line: where, which records, why. */
    public String describe() {
        return shardId + " " + startSequenceNumber + " to " + endSequenceNumber + " (" + batchSize + " records arrived "
                + firstArrival + " to " + lastArrival + ", " + condition + ")";
    }

    private static String text(JsonNode info, String field) {
        JsonNode v = info.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("its KinesisBatchInfo has no " + field);
        }
        return v.asText();
    }

    private static String sequenceNumber(JsonNode info, String field) {
        String s = text(info, field);
        if (s.length() > 129 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("its " + field + " \"" + s + "\" is not a sequence number");
        }
        return s;
    }

    private static Instant instant(JsonNode info, String field) {
        String s = text(info, field);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("its " + field + " \"" + s + "\" is not an ISO-8601 instant");
        }
    }
}
