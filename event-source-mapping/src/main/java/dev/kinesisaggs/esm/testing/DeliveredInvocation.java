package dev.kinesisaggs.esm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Outcome;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** One invocation as the test driver saw it: the event exactly as delivered, and what came of it. */
public record DeliveredInvocation(String shardId, Instant at, JsonNode event, String eventJson, InvocationResult result, Outcome outcome) {

    public List<String> sequenceNumbers() {
        List<String> out = new ArrayList<>();
        event.path("Records").forEach(r -> out.add(r.path("kinesis").path("sequenceNumber").asText()));
        return out;
    }

    /** The records' data, decoded from base64 as UTF-8 text. */
    public List<String> data() {
        List<String> out = new ArrayList<>();
        event.path("Records").forEach(r -> out.add(new String(Base64.getDecoder().decode(r.path("kinesis").path("data").asText()), StandardCharsets.UTF_8)));
        return out;
    }

    public int recordCount() {
        return event.path("Records").size();
    }

    public boolean isFinalInvokeForWindow() {
        return event.path("isFinalInvokeForWindow").asBoolean(false);
    }

    public boolean isWindowTerminatedEarly() {
        return event.path("isWindowTerminatedEarly").asBoolean(false);
    }

    public Optional<String> windowStart() {
        return event.has("window") ? Optional.of(event.path("window").path("start").asText()) : Optional.empty();
    }

    public Optional<String> windowEnd() {
        return event.has("window") ? Optional.of(event.path("window").path("end").asText()) : Optional.empty();
    }

    /** The state as sent to the function (windows only). */
    public JsonNode state() {
        return event.path("state");
    }

    public boolean succeeded() {
        return outcome instanceof Outcome.Succeeded;
    }

    @Override
    public String toString() {
        return shardId + "@" + at + " " + data() + windowStart().map(w -> " window=" + w + " state=" + state()
                + (isFinalInvokeForWindow() ? " FINAL" : "") + (isWindowTerminatedEarly() ? " EARLY" : "")).orElse("")
                + " -> " + outcome.getClass().getSimpleName();
    }
}
