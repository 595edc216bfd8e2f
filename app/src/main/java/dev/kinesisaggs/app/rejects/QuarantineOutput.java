package dev.kinesisaggs.app.rejects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.kinesisaggs.app.TerminalText;
import dev.kinesisaggs.function.tables.QuarantinedRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** How {@code rejects} prints quarantined records: a block of lines per record for a terminal, or a JSON array. */
public enum QuarantineOutput {
    /**
     * A line per record (when, where, what was not counted) and two per example (its reason and detail, then the start
     * of its payload). The record's own text is escaped: a payload is whatever a producer sent, and a terminal must not
     * take its control characters for commands.
     */
    TABLE {
        @Override
        public String render(List<QuarantinedRecord> records, Set<String> reasons) {
            StringBuilder out = new StringBuilder();
            for (QuarantinedRecord r : records) {
                if (!out.isEmpty()) {
                    out.append(System.lineSeparator());
                }
                // every text of the item written out, not only the payload: an item may be foreign, or written by hand
                out.append(TerminalText.printable(r.quarantinedAt(), MAX_SHOWN)).append("  ").append(TerminalText.printable(r.shardId(), MAX_SHOWN)).append("  ")
                        .append(TerminalText.printable(r.sequenceNumber(), MAX_SHOWN));
                r.arrivalTime().ifPresent(a -> out.append("  arrived ").append(TerminalText.printable(a, MAX_SHOWN)));
                out.append(String.format(Locale.ROOT, "  %,d bytes%n", r.recordBytes()));
                out.append("  not counted: ").append(counts(r.reasons(), reasons)).append(System.lineSeparator());
                r.note().ifPresent(n -> out.append("  ").append(TerminalText.printable(n, MAX_SHOWN)).append(System.lineSeparator()));
                for (QuarantinedRecord.Example e : r.examples()) {
                    if (!reasons.isEmpty() && !reasons.contains(e.reason())) {
                        continue;
                    }
                    out.append("  #").append(e.subSequenceNumber()).append("  ").append(TerminalText.printable(e.reason(), MAX_SHOWN))
                            .append(e.field().map(f -> " (" + TerminalText.printable(f, 80) + ")").orElse("")).append(": ")
                            .append(TerminalText.printable(e.detail(), MAX_SHOWN)).append(System.lineSeparator());
                    out.append("      ").append(payload(e)).append(System.lineSeparator());
                }
            }
            return out.toString();
        }
    },
    /** A JSON array of the records as stored, each example with its whole kept payload. */
    JSON {
        @Override
        public String render(List<QuarantinedRecord> records, Set<String> reasons) {
            StringWriter out = new StringWriter();
            try (JsonGenerator json = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
                json.writeStartArray();
                for (QuarantinedRecord r : records) {
                    json.writeStartObject();
                    json.writeStringField("recordId", r.recordId());
                    json.writeStringField("shardId", r.shardId());
                    json.writeStringField("sequenceNumber", r.sequenceNumber());
                    optional(json, "arrivalTime", r.arrivalTime());
                    json.writeStringField("quarantinedAt", r.quarantinedAt());
                    json.writeNumberField("recordBytes", r.recordBytes());
                    json.writeObjectFieldStart("reasons");
                    for (Map.Entry<String, Long> c : r.reasons().entrySet()) {
                        json.writeNumberField(c.getKey(), c.getValue());
                    }
                    json.writeEndObject();
                    optional(json, "note", r.note());
                    json.writeArrayFieldStart("examples");
                    for (QuarantinedRecord.Example e : r.examples()) {
                        if (!reasons.isEmpty() && !reasons.contains(e.reason())) {
                            continue;
                        }
                        json.writeStartObject();
                        json.writeNumberField("subSequenceNumber", e.subSequenceNumber());
                        json.writeStringField("reason", e.reason());
                        optional(json, "field", e.field());
                        json.writeStringField("detail", e.detail());
                        json.writeNumberField("payloadSize", e.payloadSize());
                        json.writeBooleanField("payloadTruncated", e.payloadTruncated());
                        optional(json, "payload", e.payloadText());
                        optional(json, "payloadBase64", e.payloadBase64());
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out + System.lineSeparator();
        }
    };

    /**
     * Every character outside ASCII written as {@code \\uXXXX}: the same JSON value, and nothing a terminal showing it
     * could act on (JSON escapes only the controls below U+0020; C1 controls and bidirectional overrides would go raw).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    /** Characters of a detail or a payload shown in the table; JSON has them whole. */
    static final int MAX_SHOWN = 200;

    /** The whole output, ending with a line break when there is any. */
    public abstract String render(List<QuarantinedRecord> records, Set<String> reasons);

    /** "2 user records: MALFORMED_JSON 1, DUPLICATE_TRIP 1", of the reasons chosen (all when none). */
    static String counts(Map<String, Long> byReason, Set<String> reasons) {
        Map<String, Long> shown = byReason.entrySet().stream().filter(e -> reasons.isEmpty() || reasons.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, Long::sum, java.util.TreeMap::new));
        long total = shown.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%,d user record%s: ", total, total == 1 ? "" : "s") + reasonCounts(shown);
    }

    /** "DUPLICATE_TRIP 1,000, MALFORMED_JSON 1", in the map's order, the reasons' names written out for the terminal. */
    public static String reasonCounts(Map<String, Long> byReason) {
        return byReason.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,d", TerminalText.printable(e.getKey(), MAX_SHOWN), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String payload(QuarantinedRecord.Example e) {
        String size = String.format(Locale.ROOT, "%,d bytes", e.payloadSize());
        if (e.payloadText().isPresent()) {
            String text = e.payloadText().get();
            boolean cut = e.payloadTruncated() || text.codePointCount(0, text.length()) > MAX_SHOWN;
            return size + (cut ? ", the first shown" : "") + ": " + TerminalText.printable(text, MAX_SHOWN);
        }
        if (e.payloadBase64().isPresent()) {
            return size + ", not UTF-8 text, in base64" + (e.payloadTruncated() ? " (the first kept)" : "") + ": "
                    + TerminalText.printable(e.payloadBase64().get(), MAX_SHOWN);
        }
        return size + (e.payloadSize() == 0 ? "" : ", payload not kept (a duplicate's: its first occurrence has it)");
    }


    private static void optional(JsonGenerator json, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            json.writeStringField(name, value.get());
        }
    }
}
