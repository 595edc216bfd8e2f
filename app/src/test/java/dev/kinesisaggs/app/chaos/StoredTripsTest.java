package dev.kinesisaggs.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class StoredTripsTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static StreamOracle.CleanTrip trip() throws Exception {
        JsonNode json = JSON.readTree("{\"id\":\"t1\",\"vendorId\":2,\"pickupDate\":\"2016-01-01T00:00:00\",\"gcDistance\":1.50}");
        return new StreamOracle.CleanTrip(json, "shardId-000000000000:49:0");
    }

    private static Map<String, AttributeValue> item() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", AttributeValue.fromS("t1"));
        item.put("vendorId", AttributeValue.fromN("2"));
        item.put("pickupDate", AttributeValue.fromS("2016-01-01T00:00:00"));
        item.put("gcDistance", AttributeValue.fromN("1.5"));
        item.put("occurrence", AttributeValue.fromS("shardId-000000000000:49:0"));
        return item;
    }

    @Test
    void an_item_holding_the_trip_and_its_claim_differs_in_nothing() throws Exception {
        assertThat(StoredTrips.differences(item(), trip())).isEmpty();
    }

    @Test
    void another_text_another_number_a_missing_or_extra_attribute_or_another_claim_each_differ() throws Exception {
        Map<String, AttributeValue> item = item();
        item.put("pickupDate", AttributeValue.fromS("2016-01-01T00:00"));
        item.put("gcDistance", AttributeValue.fromN("1.51"));
        item.remove("vendorId");
        item.put("window", AttributeValue.fromS("2016-01-01T00:00:00Z"));
        item.put("occurrence", AttributeValue.fromS("shardId-000000000001:50:0"));

        assertThat(StoredTrips.differences(item, trip())).containsExactly(
                "vendorId missing instead of 2",
                "pickupDate AttributeValue(S=2016-01-01T00:00) instead of \"2016-01-01T00:00:00\"",
                "gcDistance AttributeValue(N=1.51) instead of 1.5",
                "attributes the trip does not have: [window]",
                "claimed by shardId-000000000001:50:0 instead of shardId-000000000000:49:0");
    }
}
