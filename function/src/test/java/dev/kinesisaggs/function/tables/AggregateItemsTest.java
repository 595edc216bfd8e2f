package dev.kinesisaggs.function.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AggregateItemsTest {

    /** A window total of the previous format, as the lab writes it. */
    private static Map<String, AttributeValue> legacyItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("vendorId", AttributeValue.fromN("1"));
        item.put("windowStart", AttributeValue.fromS("2016-01-01T00:00:00Z"));
        item.put("windowEnd", AttributeValue.fromS("2016-01-01T00:00:30Z"));
        item.put("passenger", AttributeValue.fromN("3"));
        item.put("trips", AttributeValue.fromN("2"));
        return item;
    }

    @Test
    void anItemPutByHandIsNotAnAggregateAndSaysWhyWithItsKey() {
        Map<String, AttributeValue> item = Map.of("vendorId", AttributeValue.fromN("1"),
                "windowStart", AttributeValue.fromS("garbage"), "passengers", AttributeValue.fromS("x"));

        assertThat(AggregateItems.read(item))
                .isEqualTo(new AggregateItems.NotAnAggregate("vendorId 1, windowStart \"garbage\"", "no windowEnd"));
        assertThatThrownBy(() -> AggregateItems.decode(item)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no windowEnd");
    }

    @Test
    void anItemWithTheAttributesButValuesNoAggregateHasIsNotOneEither() {
        Map<String, AttributeValue> textSums = legacyItem();
        textSums.put("passenger", AttributeValue.fromS("x"));
        Map<String, AttributeValue> fraction = legacyItem();
        fraction.put("trips", AttributeValue.fromN("1.5"));
        Map<String, AttributeValue> noInstant = legacyItem();
        noInstant.put("windowEnd", AttributeValue.fromS("soon"));

        assertThat(AggregateItems.read(textSums)).extracting("reason").isEqualTo("passenger is not a number");
        assertThat(AggregateItems.read(fraction)).extracting("reason").isEqualTo("cannot read trips \"1.5\"");
        assertThat(AggregateItems.read(noInstant)).extracting("reason").isEqualTo("windowEnd \"soon\" is not an instant");
    }

    @Test
    void anAggregateIsReadAsBefore() {
        assertThat(AggregateItems.read(legacyItem())).isInstanceOfSatisfying(AggregateItems.Decoded.class, d -> {
            assertThat(d.vendorId()).isEqualTo(1);
            assertThat(d.passengers()).isEqualTo(3);
            assertThat(d.legacy()).isTrue();
        });
    }
}
