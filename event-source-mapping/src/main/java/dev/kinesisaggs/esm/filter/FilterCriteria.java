package dev.kinesisaggs.esm.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.config.InvalidConfigException;

import java.util.ArrayList;
import java.util.List;

/**
 * A mapping's {@code FilterCriteria} as AWS takes it: {@code {"Filters":[{"Pattern":"{\"data\":{...}}"}]}}, each
 * pattern a JSON object written as a string. A record goes to the function when any pattern matches it
 * ({@link RecordFilter}). Parsing also checks every pattern, so that a mapping refuses at build what AWS refuses at
 * {@code CreateEventSourceMapping}.
 */
public record FilterCriteria(List<String> patterns) {

    /** AWS's default quota of filters per mapping (a quota increase allows 10). */
    public static final int MAX_FILTERS = 5;

    public FilterCriteria {
        patterns = List.copyOf(patterns);
        if (patterns.size() > MAX_FILTERS) {
            throw new InvalidConfigException("FilterCriteria has " + patterns.size() + " filters, AWS allows " + MAX_FILTERS
                    + " per event source mapping: merge some (an array of values in a pattern means any of them).");
        }
        RecordFilter.of(patterns);
    }

    /** No filtering: every record goes to the function. */
    public static FilterCriteria none() {
        return new FilterCriteria(List.of());
    }

    /** Reads AWS's JSON form; {@code {}} or no {@code Filters} means no filtering (AWS's way of removing the criteria). */
    public static FilterCriteria parse(String awsJson) {
        JsonNode root;
        try {
            root = PatternJson.MAPPER.readTree(awsJson);
        } catch (Exception e) {
            throw new InvalidConfigException("FilterCriteria is not JSON: give it as AWS does, {\"Filters\":[{\"Pattern\":\"{...}\"}]}.");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException("FilterCriteria must be a JSON object: {\"Filters\":[{\"Pattern\":\"{...}\"}]}.");
        }
        JsonNode filters = root.path("Filters");
        if (filters.isMissingNode()) {
            return none();
        }
        if (!filters.isArray()) {
            throw new InvalidConfigException("FilterCriteria's Filters must be an array of {\"Pattern\":\"{...}\"}.");
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode f : filters) {
            JsonNode pattern = f.path("Pattern");
            if (!pattern.isTextual()) {
                throw new InvalidConfigException("Each filter of FilterCriteria needs a Pattern, a JSON object written as a string.");
            }
            patterns.add(pattern.asText());
        }
        return new FilterCriteria(patterns);
    }

    /** The matcher of these criteria. */
    public RecordFilter matcher() {
        return RecordFilter.of(this);
    }

    public boolean filters() {
        return !patterns.isEmpty();
    }
}
