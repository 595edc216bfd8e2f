package dev.kinesisaggs.esm.filter;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * The one JSON reader of patterns and record data. Numbers keep their written form (300, 300.0 and 3.0e2 stay
 * different), because AWS compares exact values by their string representation ("300, 300.0, and 3.0e2 are not
 * considered equal", Lambda Developer Guide, "Lambda event filtering"); numeric ranges compare them as numbers.
 */
final class PatternJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private PatternJson() {
    }

    /** The record's data as JSON, or empty when it is not JSON (binary, plain text, a KPL aggregate). */
    static Optional<JsonNode> data(byte[] data) {
        if (data.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(MAPPER.readTree(data));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
