package dev.kinesisaggs.app.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.function.storage.TripClaims;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A trips table item against the trip the stream holds, read by Jackson: every field of the trip JSON is an attribute
 * of the item with the same text (strings) or the same decimal value (numbers), the item has no other attribute
 * but the claim, and the claim is the occurrence that counts the trip. None of the function's code reads either side.
 *
 * <p>Two limits: the numbers are compared exactly, while the function stores a number's nearest double, so this holds
 * for the chaos traffic's numbers (a double's own text) and not for one of more than 17 digits; and when batches were
 * given up, the counted occurrence is the stored claim itself if it is one of the trip's ({@link StreamOracle#read}),
 * so the claim check then only finds a claim that is missing or names no occurrence of the trip.
 */
final class StoredTrips {

    private StoredTrips() {
    }

    /** What differs, one short phrase each; empty when the item is the trip. */
    static List<String> differences(Map<String, AttributeValue> item, StreamOracle.CleanTrip want) {
        List<String> found = new ArrayList<>();
        Set<String> left = new TreeSet<>(item.keySet());
        left.remove(TripClaims.OCCURRENCE);
        for (Iterator<Map.Entry<String, JsonNode>> fields = want.json().fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            left.remove(field.getKey());
            AttributeValue got = item.get(field.getKey());
            if (!same(field.getValue(), got)) {
                found.add(field.getKey() + " " + (got == null ? "missing" : got) + " instead of " + field.getValue());
            }
        }
        if (!left.isEmpty()) {
            found.add("attributes the trip does not have: " + left);
        }
        AttributeValue claim = item.get(TripClaims.OCCURRENCE);
        if (claim == null || !want.occurrence().equals(claim.s())) {
            found.add("claimed by " + (claim == null ? "no one" : claim.s()) + " instead of " + want.occurrence());
        }
        return found;
    }

    private static boolean same(JsonNode value, AttributeValue got) {
        if (got == null) {
            return false;
        }
        if (value.isNumber()) {
            return got.n() != null && new BigDecimal(got.n()).compareTo(value.decimalValue()) == 0;
        }
        return value.isTextual() && value.asText().equals(got.s());
    }
}
