package dev.kinesisaggs.esm.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.config.InvalidConfigException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One element of a pattern's value array: an exact value or one comparison operator. The operators are those of
 * Lambda's filter rule syntax (Lambda Developer Guide, "Lambda event filtering", "Filter rule syntax": null, empty,
 * equals, or, anything-but, numeric, exists, prefix), which "supports the same set of syntax and rules as Amazon
 * EventBridge". Other EventBridge operators (suffix, equals-ignore-case, wildcard, cidr, $or) are refused.
 */
sealed interface Rule {

    /** Whether {@code value} (null when the field is missing) satisfies the rule. */
    boolean matches(JsonNode value);

    /** Exactly this JSON value, by its written form: "300" is not 300, and 300 is not 300.0. */
    record Exact(JsonNode expected) implements Rule {
        @Override
        public boolean matches(JsonNode value) {
            return value != null && sameValue(expected, value);
        }
    }

    record Prefix(String prefix) implements Rule {
        @Override
        public boolean matches(JsonNode value) {
            return value != null && value.isTextual() && value.asText().startsWith(prefix);
        }
    }

    /** {@code [">", 0, "<=", 5]}: every comparison must hold; only numbers can match. */
    record Numeric(List<Map.Entry<String, BigDecimal>> comparisons) implements Rule {
        @Override
        public boolean matches(JsonNode value) {
            if (value == null || !value.isNumber()) {
                return false;
            }
            BigDecimal v = value.decimalValue();
            for (Map.Entry<String, BigDecimal> c : comparisons) {
                int cmp = v.compareTo(c.getValue());
                boolean holds = switch (c.getKey()) {
                    case "=" -> cmp == 0;
                    case "<" -> cmp < 0;
                    case "<=" -> cmp <= 0;
                    case ">" -> cmp > 0;
                    default -> cmp >= 0;
                };
                if (!holds) {
                    return false;
                }
            }
            return true;
        }
    }

    record Exists(boolean exists) implements Rule {
        @Override
        public boolean matches(JsonNode value) {
            return (value != null) == exists;
        }
    }

    /** Present, and none of the values (or, with {@code {"prefix": ...}}, not starting with it). A missing field does not match. */
    record AnythingBut(List<JsonNode> values, String prefix) implements Rule {
        @Override
        public boolean matches(JsonNode value) {
            if (value == null) {
                return false;
            }
            if (prefix != null) {
                return value.isTextual() && !value.asText().startsWith(prefix);
            }
            return values.stream().noneMatch(v -> sameValue(v, value));
        }
    }

    private static boolean sameValue(JsonNode expected, JsonNode value) {
        if (expected.isNumber()) {
            return value.isNumber() && expected.asText().equals(value.asText());
        }
        return expected.equals(value);
    }

    /** Reads one element of a pattern's value array, refusing in one sentence what AWS refuses. */
    static Rule parse(String field, JsonNode element) {
        if (element.isValueNode()) {
            return new Exact(element);
        }
        if (!element.isObject() || element.size() != 1) {
            throw invalid(field, "each element of a value array must be a value or an object with one operator");
        }
        String operator = element.fieldNames().next();
        JsonNode operand = element.get(operator);
        switch (operator) {
            case "prefix" -> {
                if (!operand.isTextual()) {
                    throw invalid(field, "prefix takes a string");
                }
                return new Prefix(operand.asText());
            }
            case "exists" -> {
                if (!operand.isBoolean()) {
                    throw invalid(field, "exists takes true or false");
                }
                return new Exists(operand.asBoolean());
            }
            case "numeric" -> {
                return numeric(field, operand);
            }
            case "anything-but" -> {
                return anythingBut(field, operand);
            }
            default -> throw invalid(field, "the operator \"" + operator
                    + "\" is not one of Lambda's (exact values, prefix, numeric, exists, anything-but)");
        }
    }

    private static Rule numeric(String field, JsonNode operand) {
        if (!operand.isArray() || operand.isEmpty() || operand.size() % 2 != 0 || operand.size() > 4) {
            throw invalid(field, "numeric takes one or two comparisons, as [\">\", 0, \"<=\", 5]");
        }
        List<Map.Entry<String, BigDecimal>> comparisons = new ArrayList<>();
        for (int i = 0; i < operand.size(); i += 2) {
            String op = operand.get(i).asText();
            JsonNode n = operand.get(i + 1);
            if (!List.of("=", "<", "<=", ">", ">=").contains(op) || !operand.get(i).isTextual() || !n.isNumber()) {
                throw invalid(field, "numeric comparisons are =, <, <=, > or >= followed by a number");
            }
            comparisons.add(Map.entry(op, n.decimalValue()));
        }
        return new Numeric(List.copyOf(comparisons));
    }

    private static Rule anythingBut(String field, JsonNode operand) {
        if (operand.isObject()) {
            if (operand.size() != 1 || !operand.path("prefix").isTextual()) {
                throw invalid(field, "anything-but takes a value, an array of values or {\"prefix\": \"...\"}");
            }
            return new AnythingBut(List.of(), operand.get("prefix").asText());
        }
        List<JsonNode> values = new ArrayList<>();
        if (operand.isArray()) {
            operand.forEach(values::add);
        } else {
            values.add(operand);
        }
        if (values.isEmpty() || !values.stream().allMatch(JsonNode::isValueNode)) {
            throw invalid(field, "anything-but takes a value, an array of values or {\"prefix\": \"...\"}");
        }
        return new AnythingBut(List.copyOf(values), null);
    }

    static InvalidConfigException invalid(String field, String why) {
        return new InvalidConfigException("FilterCriteria pattern on \"" + field + "\": " + why + ".");
    }
}
