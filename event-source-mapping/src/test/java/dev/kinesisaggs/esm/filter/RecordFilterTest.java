package dev.kinesisaggs.esm.filter;

import dev.kinesisaggs.esm.config.InvalidConfigException;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The examples of the Lambda Developer Guide's "Lambda event filtering" (its filter rule syntax table and filtering
 * examples) and "Using event filtering with a Kinesis event source", as patterns against records' data.
 */
class RecordFilterTest {

    private static StreamRecord record(String partitionKey, byte[] data) {
        return new StreamRecord("shardId-000000000000", "49590338271490256608559692538361571095921575989136588898", partitionKey, data,
                Instant.parse("2018-12-17T22:10:50.987Z"));
    }

    private static StreamRecord record(String json) {
        return record("1", json.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean matches(String pattern, String data) {
        return RecordFilter.of(List.of(pattern)).matches(record(data));
    }

    @Test
    void theKinesisPageOrderTypeExample() {
        String pattern = "{ \"data\" : { \"order\" : { \"type\" : [ \"buy\" ] } } }";
        assertThat(matches(pattern, "{\"record\": 12345, \"order\": {\"type\": \"buy\", \"stock\": \"ANYCO\", \"quantity\": 1000}}")).isTrue();
        assertThat(matches(pattern, "{\"record\": 12346, \"order\": {\"type\": \"sell\", \"stock\": \"ANYCO\", \"quantity\": 1000}}")).isFalse();
        assertThat(matches(pattern, "{\"record\": 12347}")).isFalse();
    }

    @Test
    void metadataAndDataMustBothMatch() {
        RecordFilter filter = RecordFilter.of(List.of("{ \"partitionKey\": [ \"1\" ], \"data\": { \"Location\": [ \"Los Angeles\" ] }}"));
        byte[] la = "{\"Location\": \"Los Angeles\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(filter.matches(record("1", la))).isTrue();
        assertThat(filter.matches(record("2", la))).isFalse();
        assertThat(filter.matches(record("1", "{\"Location\": \"Seattle\"}".getBytes(StandardCharsets.UTF_8)))).isFalse();
    }

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // Numeric (range): more than 50, and less than or equal to 60
            "{\"data\": {\"Temperature\": [{\"numeric\": [\">\", 50, \"<=\", 60]}]}}| {\"Temperature\": 50}    | false",
            "{\"data\": {\"Temperature\": [{\"numeric\": [\">\", 50, \"<=\", 60]}]}}| {\"Temperature\": 50.5}  | true",
            "{\"data\": {\"Temperature\": [{\"numeric\": [\">\", 50, \"<=\", 60]}]}}| {\"Temperature\": 60}    | true",
            "{\"data\": {\"Temperature\": [{\"numeric\": [\">\", 50, \"<=\", 60]}]}}| {\"Temperature\": 61}    | false",
            "{\"data\": {\"Temperature\": [{\"numeric\": [\">\", 50, \"<=\", 60]}]}}| {\"Temperature\": \"55\"}| false",
            // Numeric (equals)
            "{\"data\": {\"Price\": [{\"numeric\": [\"=\", 100]}]}}                | {\"Price\": 100.0}       | true",
            // Null, Empty
            "{\"data\": {\"UserID\": [null]}}                                    | {\"UserID\": null}       | true",
            "{\"data\": {\"UserID\": [null]}}                                    | {}                       | false",
            "{\"data\": {\"LastName\": [\"\"]}}                                  | {\"LastName\": \"\"}     | true",
            // Equals, And, Or
            "{\"data\": {\"Name\": [\"Alice\"]}}                                 | {\"Name\": \"Alice\"}    | true",
            "{\"data\": {\"Name\": [\"Alice\"]}}                                 | {\"Name\": \"alice\"}    | false",
            "{\"data\": {\"Location\": [\"New York\"], \"Day\": [\"Monday\"]}}   | {\"Location\": \"New York\", \"Day\": \"Monday\"}  | true",
            "{\"data\": {\"Location\": [\"New York\"], \"Day\": [\"Monday\"]}}   | {\"Location\": \"New York\", \"Day\": \"Tuesday\"} | false",
            "{\"data\": {\"PaymentType\": [\"Credit\", \"Debit\"]}}              | {\"PaymentType\": \"Debit\"}  | true",
            "{\"data\": {\"PaymentType\": [\"Credit\", \"Debit\"]}}              | {\"PaymentType\": \"Cash\"}   | false",
            // Not (anything-but): a missing field does not match
            "{\"data\": {\"Weather\": [{\"anything-but\": [\"Raining\"]}]}}      | {\"Weather\": \"Sunny\"}   | true",
            "{\"data\": {\"Weather\": [{\"anything-but\": [\"Raining\"]}]}}      | {\"Weather\": \"Raining\"} | false",
            "{\"data\": {\"Weather\": [{\"anything-but\": [\"Raining\"]}]}}      | {}                        | false",
            "{\"data\": {\"Region\": [{\"anything-but\": {\"prefix\": \"us-\"}}]}} | {\"Region\": \"eu-west-1\"} | true",
            "{\"data\": {\"Region\": [{\"anything-but\": {\"prefix\": \"us-\"}}]}} | {\"Region\": \"us-east-1\"} | false",
            // Exists, Does not exist
            "{\"data\": {\"ProductName\": [{\"exists\": true}]}}                 | {\"ProductName\": \"x\"}   | true",
            "{\"data\": {\"ProductName\": [{\"exists\": true}]}}                 | {}                        | false",
            "{\"data\": {\"ProductName\": [{\"exists\": false}]}}                | {}                        | true",
            "{\"data\": {\"ProductName\": [{\"exists\": false}]}}                | {\"ProductName\": \"x\"}   | false",
            // Begins with
            "{\"data\": {\"Region\": [{\"prefix\": \"us-\"}]}}                   | {\"Region\": \"us-east-2\"} | true",
            "{\"data\": {\"Region\": [{\"prefix\": \"us-\"}]}}                   | {\"Region\": \"eu-west-1\"} | false",
            // numbers compare by their written form: 300, 300.0 and 3.0e2 are not equal
            "{\"data\": {\"n\": [300]}}                                          | {\"n\": 300}              | true",
            "{\"data\": {\"n\": [300]}}                                          | {\"n\": 300.0}            | false",
            "{\"data\": {\"n\": [300.0]}}                                        | {\"n\": 3.0e2}            | false",
            "{\"data\": {\"n\": [\"300\"]}}                                      | {\"n\": 300}              | false",
            // an array in the event matches when any element does (the tyre-pressure example of AWS's launch post)
            "{\"data\": {\"tire_pressure\": [{\"numeric\": [\"<\", 32]}]}}        | {\"tire_pressure\": [41, 40, 31, 41]} | true",
            "{\"data\": {\"tire_pressure\": [{\"numeric\": [\"<\", 32]}]}}        | {\"tire_pressure\": [41, 40, 33, 41]} | false",
            // multi-level
            "{\"data\": {\"Keys\": {\"Id\": {\"N\": [\"101\"]}}}}                | {\"Keys\": {\"Id\": {\"N\": \"101\"}}} | true",
            "{\"data\": {\"Keys\": {\"Id\": {\"N\": [\"101\"]}}}}                | {\"Keys\": \"101\"}       | false",
    })
    void theFilterRuleSyntaxTable(String pattern, String data, boolean expected) {
        assertThat(matches(pattern.strip(), data.strip())).isEqualTo(expected);
    }

    @Test
    void dataThatIsNotJsonMatchesOnlyPatternsWithoutData() {
        byte[] text = "plain text, not JSON".getBytes(StandardCharsets.UTF_8);
        assertThat(RecordFilter.of(List.of("{\"data\": {\"a\": [{\"exists\": false}]}}")).matches(record("1", text))).isFalse();
        assertThat(RecordFilter.of(List.of("{\"partitionKey\": [\"1\"]}")).matches(record("1", text))).isTrue();
        assertThat(RecordFilter.of(List.of("{\"data\": {\"a\": [1]}}", "{\"partitionKey\": [{\"prefix\": \"1\"}]}"))
                .matches(record("1", text))).isTrue();
    }

    @Test
    void aKplAggregateIsFilteredAsOneRecordWhoseDataIsNotJson() {
        // the KPL aggregation format: magic bytes F3 89 9A C2, a protobuf AggregatedRecord, an MD5 digest
        byte[] aggregate = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2, 0x0A, 0x01, 0x31, 0x1A, 0x06, 0x08, 0x00, 0x1A, 0x02, 0x7B, 0x7D};
        assertThat(RecordFilter.of(List.of("{\"data\": {\"vendorId\": [{\"exists\": false}]}}")).matches(record("1", aggregate))).isFalse();
        assertThat(RecordFilter.of(List.of("{\"partitionKey\": [\"1\"]}")).matches(record("1", aggregate))).isTrue();
    }

    @Test
    void aRecordPassesWhenAnyFilterMatches() {
        RecordFilter filter = FilterCriteria.parse("{\"Filters\":[{\"Pattern\":\"{\\\"data\\\":{\\\"vendorId\\\":[2]}}\"},"
                + "{\"Pattern\":\"{\\\"data\\\":{\\\"distance\\\":[{\\\"numeric\\\":[\\\">\\\",0,\\\"<=\\\",5]}]}}\"}]}").matcher();
        assertThat(filter.matches(record("{\"vendorId\": 2, \"distance\": 9}"))).isTrue();
        assertThat(filter.matches(record("{\"vendorId\": 1, \"distance\": 4.5}"))).isTrue();
        assertThat(filter.matches(record("{\"vendorId\": 1, \"distance\": 9}"))).isFalse();
    }

    @Test
    void noFilterCriteriaLetsEverythingThrough() {
        assertThat(FilterCriteria.parse("{}").filters()).isFalse();
        assertThat(FilterCriteria.none().matcher().matches(record("1", new byte[] {1, 2, 3}))).isTrue();
    }

    @Test
    void whatAwsRefusesIsRefusedInOneSentence() {
        String six = "{\"Filters\":[" + String.join(",", java.util.Collections.nCopies(6, "{\"Pattern\":\"{\\\"data\\\":{\\\"a\\\":[1]}}\"}")) + "]}";
        assertThatThrownBy(() -> FilterCriteria.parse(six)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("AWS allows 5");
        assertThatThrownBy(() -> FilterCriteria.parse("{\"Filters\":[{\"Pattern\":\"not json\"}]}"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> RecordFilter.of(List.of("{\"data\": {\"a\": [{\"suffix\": \".png\"}]}}")))
                .isInstanceOf(InvalidConfigException.class).hasMessage(
                        "FilterCriteria pattern on \"data.a\": the operator \"suffix\" is not one of Lambda's (exact values, prefix, numeric, exists, anything-but).");
        assertThatThrownBy(() -> RecordFilter.of(List.of("{\"data\": {\"a\": \"b\"}}")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("non-empty array");
        assertThatThrownBy(() -> RecordFilter.of(List.of("{\"data\": {\"a\": [{\"numeric\": [\"~\", 1]}]}}")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("numeric comparisons");
    }
}
