package dev.kinesisaggs.function.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a log event as CloudWatch Logs reads an Embedded Metric Format document, and extracts its metrics;
 * a document it would not turn into metrics is an {@link IllegalArgumentException} that says why. Written
 * from CloudWatch's "Specification: Embedded metric format" (docs.aws.amazon.com/AmazonCloudWatch/latest/
 * monitoring/CloudWatch_Embedded_Metric_Format_Specification.html), not from our writer, so that it checks
 * the writer instead of repeating it:
 * <ul>
 *   <li>the event is one JSON object, nothing before or after it; its {@code _aws} member is an object with
 *       {@code Timestamp} (a number, milliseconds since the epoch) and {@code CloudWatchMetrics} (an array of
 *       metric directives);</li>
 *   <li>a directive has exactly {@code Namespace} (a string), {@code Dimensions} (an array of dimension
 *       sets, each an array of at most 30 names) and {@code Metrics} (an array of at most 100 metric
 *       definitions); a definition has {@code Name}, and may have {@code Unit} (one of CloudWatch's units)
 *       and {@code StorageResolution} (1 or 60); the specification's objects have no other members;</li>
 *   <li>every dimension name and every metric name is a member of the root: a dimension's value a string,
 *       a metric's value a number or an array of at most 100 numbers.</li>
 * </ul>
 */
public final class CloudWatchEmf {

    /** One metric as CloudWatch would store it: per value, under the namespace, at the time, with the dimensions. */
    public record Metric(String namespace, String name, String unit, Map<String, String> dimensions, List<Double> values,
                         long timestampMillis) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private CloudWatchEmf() {
    }

    /** The metrics of one log event (one line of the function's log). */
    public static List<Metric> metrics(String logEvent) {
        JsonNode root;
        try {
            root = JSON.readTree(logEvent);
        } catch (JsonProcessingException e) {
            throw invalid("not one JSON value: " + e.getOriginalMessage());
        }
        require(root != null && root.isObject(), "the event is not a JSON object");
        JsonNode aws = root.get("_aws");
        require(aws != null && aws.isObject(), "no _aws object");
        onlyMembers(aws, "_aws", Set.of("Timestamp", "CloudWatchMetrics"));
        JsonNode timestamp = aws.get("Timestamp");
        require(timestamp != null && timestamp.isIntegralNumber() && timestamp.asLong() >= 0,
                "_aws.Timestamp is not a number of milliseconds: " + timestamp);
        JsonNode directives = aws.get("CloudWatchMetrics");
        require(directives != null && directives.isArray(), "_aws.CloudWatchMetrics is not an array");

        List<Metric> metrics = new ArrayList<>();
        for (JsonNode directive : directives) {
            require(directive.isObject(), "a metric directive is not an object: " + directive);
            onlyMembers(directive, "a metric directive", Set.of("Namespace", "Dimensions", "Metrics"));
            JsonNode namespace = directive.get("Namespace");
            require(namespace != null && namespace.isTextual() && !namespace.asText().isEmpty()
                    && namespace.asText().length() <= 255, "Namespace is not a string of 1 to 255 characters: " + namespace);
            List<Map<String, String>> dimensionSets = dimensionSets(root, directive.get("Dimensions"));
            JsonNode definitions = directive.get("Metrics");
            require(definitions != null && definitions.isArray(), "Metrics is not an array");
            require(definitions.size() <= 100, "more than 100 metrics in a directive: " + definitions.size());
            for (JsonNode definition : definitions) {
                require(definition.isObject(), "a metric definition is not an object: " + definition);
                onlyMembers(definition, "a metric definition", Set.of("Name", "Unit", "StorageResolution"));
                JsonNode name = definition.get("Name");
                require(name != null && name.isTextual() && !name.asText().isEmpty(), "a metric without a Name: " + definition);
                JsonNode unit = definition.get("Unit");
                require(unit == null || unit.isTextual() && UNITS.contains(unit.asText()), "not a CloudWatch unit: " + unit);
                JsonNode resolution = definition.get("StorageResolution");
                require(resolution == null || resolution.isInt() && (resolution.asInt() == 1 || resolution.asInt() == 60),
                        "StorageResolution is neither 1 nor 60: " + resolution);
                List<Double> values = values(name.asText(), root.get(name.asText()));
                for (Map<String, String> dimensions : dimensionSets) {
                    metrics.add(new Metric(namespace.asText(), name.asText(), unit == null ? "None" : unit.asText(),
                            dimensions, values, timestamp.asLong()));
                }
            }
        }
        return metrics;
    }

    /** The one metric of this name, namespace and dimensions, with its one value. */
    public static double value(List<Metric> metrics, String namespace, Map<String, String> dimensions, String name) {
        List<Metric> found = metrics.stream()
                .filter(m -> m.namespace().equals(namespace) && m.dimensions().equals(dimensions) && m.name().equals(name))
                .toList();
        if (found.size() != 1 || found.get(0).values().size() != 1) {
            throw new AssertionError("not one metric " + namespace + "/" + name + " " + dimensions + " with one value: " + metrics);
        }
        return found.get(0).values().get(0);
    }

    private static List<Map<String, String>> dimensionSets(JsonNode root, JsonNode sets) {
        require(sets != null && sets.isArray(), "Dimensions is not an array");
        List<Map<String, String>> resolved = new ArrayList<>();
        for (JsonNode set : sets) {
            require(set.isArray(), "a dimension set is not an array of names: " + set);
            require(set.size() <= 30, "more than 30 dimensions in a set: " + set);
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (JsonNode name : set) {
                require(name.isTextual(), "a dimension name is not a string: " + name);
                JsonNode value = root.get(name.asText());
                require(value != null, "dimension " + name + " has no member in the root");
                require(value.isTextual() && !value.asText().isEmpty(), "dimension " + name + "'s value is not a string: " + value);
                dimensions.put(name.asText(), value.asText());
            }
            resolved.add(Map.copyOf(dimensions));
        }
        // no dimension set: each metric once, without dimensions
        return resolved.isEmpty() ? List.of(Map.of()) : resolved;
    }

    private static List<Double> values(String name, JsonNode member) {
        require(member != null, "metric " + name + " has no member in the root");
        List<Double> values = new ArrayList<>();
        if (member.isNumber()) {
            values.add(member.asDouble());
        } else {
            require(member.isArray() && !member.isEmpty() && member.size() <= 100,
                    "metric " + name + "'s value is neither a number nor an array of 1 to 100 numbers: " + member);
            for (JsonNode v : member) {
                require(v.isNumber(), "metric " + name + " has a value that is not a number: " + v);
                values.add(v.asDouble());
            }
        }
        return values;
    }

    private static void onlyMembers(JsonNode object, String what, Set<String> allowed) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            require(allowed.contains(name), what + " has a member the specification does not define: " + name);
        }
    }

    private static void require(boolean condition, String why) {
        if (!condition) {
            throw invalid(why);
        }
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("not an EMF document CloudWatch would extract metrics from: " + why);
    }
}
