package dev.kinesisaggs.esm.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.config.InvalidConfigException;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a record goes to the function, by the mapping's {@code FilterCriteria}, as the Lambda Developer
 * Guide describes it ("Lambda event filtering"; "Using event filtering with a Kinesis event source"):
 * <ul>
 *   <li>a record passes if any filter matches (filters are ORed); within a filter every field named must match
 *       (AND), and an array of values means any of them (OR); fields the pattern does not name are ignored;</li>
 *   <li>{@code data} is the record's data decoded as JSON; a record whose data is not JSON never matches a pattern on
 *       {@code data} ("Non-JSON data, valid JSON pattern: Lambda drops the record"), only patterns without it;</li>
 *   <li>the other fields are the record's metadata as the event's {@code kinesis} object has them:
 *       {@code partitionKey}, {@code sequenceNumber}, {@code kinesisSchemaVersion},
 *       {@code approximateArrivalTimestamp} (seconds);</li>
 *   <li>an event field holding an array matches when any of its elements does, as in EventBridge.</li>
 * </ul>
 * A KPL aggregated record is filtered as the one Kinesis record it is: its data (the aggregation format's magic
 * bytes and protobuf) is not JSON, so a pattern on {@code data} drops the whole aggregate. The guide ties filtering
 * the user records inside an aggregate to enhanced fan-out consumers (its section "Filtering Kinesis aggregated
 * records", anchor {@code filtering-kinesis-efo}; only its heading could be read when this was written, so this is
 * our reading of it); this mapping reads with shared-throughput GetRecords, as a standard-iterator mapping does.
 *
 * <p>Pure: no clock, no I/O; one instance is shared by every shard of the mapping.
 */
public final class RecordFilter {

    private static final RecordFilter PASS_ALL = new RecordFilter(List.of());

    /** A part of a pattern, matched against the event's value at its place (null when the field is missing). */
    private sealed interface Node permits Fields, Leaf {
        boolean matches(JsonNode value);
    }

    /** A pattern object: each named field must match. */
    private record Fields(Map<String, Node> fields) implements Node {
        @Override
        public boolean matches(JsonNode event) {
            for (Map.Entry<String, Node> f : fields.entrySet()) {
                JsonNode value = event != null && event.isObject() ? event.get(f.getKey()) : null;
                if (!f.getValue().matches(value)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A value array: any of its rules; against an array in the event, any of its elements. */
    private record Leaf(List<Rule> rules) implements Node {
        @Override
        public boolean matches(JsonNode value) {
            for (Rule rule : rules) {
                if (value != null && value.isArray() && !(rule instanceof Rule.Exists)) {
                    for (JsonNode element : value) {
                        if (rule.matches(element)) {
                            return true;
                        }
                    }
                } else if (rule.matches(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final List<Fields> patterns;

    private RecordFilter(List<Fields> patterns) {
        this.patterns = patterns;
    }

    /** Lets every record through: a mapping without FilterCriteria. */
    public static RecordFilter passAll() {
        return PASS_ALL;
    }

    public static RecordFilter of(FilterCriteria criteria) {
        return of(criteria.patterns());
    }

    static RecordFilter of(List<String> patterns) {
        List<Fields> compiled = new ArrayList<>();
        for (String p : patterns) {
            JsonNode root;
            try {
                root = PatternJson.MAPPER.readTree(p);
            } catch (Exception e) {
                throw new InvalidConfigException("A FilterCriteria pattern is not JSON: " + p);
            }
            if (root == null || !root.isObject() || root.isEmpty()) {
                throw new InvalidConfigException("A FilterCriteria pattern must be a JSON object naming at least one field, not " + p + ".");
            }
            compiled.add(compile("", root));
        }
        return new RecordFilter(List.copyOf(compiled));
    }

    private static Fields compile(String path, JsonNode object) {
        Map<String, Node> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                fields.put(e.getKey(), compile(field, v));
            } else if (v.isArray() && !v.isEmpty()) {
                List<Rule> rules = new ArrayList<>();
                v.forEach(element -> rules.add(Rule.parse(field, element)));
                fields.put(e.getKey(), new Leaf(List.copyOf(rules)));
            } else {
                throw Rule.invalid(field, "a field's value must be a non-empty array of values, or an object of fields");
            }
        }
        return new Fields(fields);
    }

    public boolean filters() {
        return !patterns.isEmpty();
    }

    /** Whether the record goes to the function. */
    public boolean matches(StreamRecord r) {
        if (patterns.isEmpty()) {
            return true;
        }
        Optional<JsonNode> data = PatternJson.data(r.data());
        ObjectNode view = PatternJson.MAPPER.createObjectNode()
                .put("kinesisSchemaVersion", "1.0")
                .put("partitionKey", r.partitionKey())
                .put("sequenceNumber", r.sequenceNumber())
                .put("approximateArrivalTimestamp", BigDecimal.valueOf(r.approximateArrivalTimestamp().toEpochMilli(), 3));
        data.ifPresent(d -> view.set("data", d));
        for (Fields p : patterns) {
            if (data.isEmpty() && p.fields().containsKey("data")) {
                continue;
            }
            if (p.matches(view)) {
                return true;
            }
        }
        return false;
    }
}
