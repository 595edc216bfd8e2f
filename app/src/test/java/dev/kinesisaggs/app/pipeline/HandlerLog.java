package dev.kinesisaggs.app.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What our handler writes to its {@code PrintStream invocationLog}, one JSON line per invocation (its
 * CloudWatch log on Lambda), read back line by line: the only record of how often the handler really ran.
 */
final class HandlerLog extends OutputStream {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One invocation as the handler logged it.
     *
     * @param unit    which records of which window it was given
     * @param outcome {@code OK}, {@code THREW}, or {@code PARTIAL FROM <sequence number>} (batchItemFailures)
     */
    record Step(Unit unit, String outcome) {
        static final String OK = "OK";
        static final String THREW = "THREW";

        static String partialFrom(String sequenceNumber) {
            return "PARTIAL FROM " + sequenceNumber;
        }
    }

    /** The records an invocation was given; a final invoke has none (first and last are null). */
    record Unit(String shardId, String windowStart, boolean finalInvoke, String first, String last, int recordsIn) {
    }

    /** A line with the fields the assertions need beyond the step. */
    record Line(Step step, int partsWritten, int partsAlreadyWhole) {
    }

    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    PrintStream stream() {
        return stream;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(current.toString(StandardCharsets.UTF_8));
            current.reset();
        } else {
            current.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    synchronized List<Line> lines() {
        List<Line> parsed = new ArrayList<>();
        for (String line : lines) {
            parsed.add(parse(line));
        }
        return parsed;
    }

    List<Step> steps(String shardId) {
        return lines().stream().map(Line::step).filter(s -> s.unit().shardId().equals(shardId)).toList();
    }

    private static Line parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line in the handler's log: " + line, e);
        }
        Unit unit = new Unit(n.path("shardId").asText(), n.path("windowStart").asText(), n.path("finalInvoke").asBoolean(),
                text(n, "firstSequenceNumber"), text(n, "lastSequenceNumber"), n.path("RecordsIn").asInt(-1));
        String outcome;
        if ("ERROR".equals(n.path("level").asText())) {
            outcome = Step.THREW;
        } else if (n.hasNonNull("firstFailedSequenceNumber")) {
            outcome = Step.partialFrom(n.get("firstFailedSequenceNumber").asText());
        } else {
            outcome = Step.OK;
        }
        return new Line(new Step(unit, outcome), n.path("PartsWritten").asInt(), n.path("partsAlreadyWhole").asInt());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
