package dev.kinesisaggs.function.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.function.testing.CloudWatchEmf.Metric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The EMF reader refuses what CloudWatch would not turn into metrics, or the tests that use it prove nothing. */
class CloudWatchEmfTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // a metric without its member
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[[\"D\"]],\"Metrics\":[{\"Name\":\"M\"}]}]},\"D\":\"d\"}",
            // a dimension value that is a number
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[[\"D\"]],\"Metrics\":[{\"Name\":\"M\"}]}]},\"D\":1,\"M\":1}",
            // a dimension without its member
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[[\"D\"]],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":1}",
            // Dimensions not an array of arrays
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[\"D\"],\"Metrics\":[{\"Name\":\"M\"}]}]},\"D\":\"d\",\"M\":1}",
            // Timestamp a string
            "{\"_aws\":{\"Timestamp\":\"1\",\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":1}",
            // no Timestamp
            "{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":1}",
            // a metric value that is a string
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":\"1\"}",
            // a metric value that is a boolean
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":true}",
            // not a CloudWatch unit
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"ms\"}]}]},\"M\":1}",
            // no Namespace
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":1}",
            // CloudWatchMetrics not an array
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}},\"M\":1}",
            // something after the JSON object
            "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}]},\"M\":1} trailing",
            // no _aws
            "{\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":[{\"Name\":\"M\"}]}],\"Timestamp\":1,\"M\":1}"})
    void theEmfReaderRefusesWhatCloudWatchWouldNotExtract(String logEvent) {
        assertThatThrownBy(() -> CloudWatchEmf.metrics(logEvent)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEmfReaderRefusesMoreThan100MetricsInADirective() {
        StringBuilder definitions = new StringBuilder();
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            definitions.append(i == 0 ? "" : ",").append("{\"Name\":\"M").append(i).append("\"}");
            members.append(",\"M").append(i).append("\":1");
        }
        String logEvent = "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[],\"Metrics\":["
                + definitions + "]}]}" + members + "}";

        assertThatThrownBy(() -> CloudWatchEmf.metrics(logEvent)).hasMessageContaining("more than 100");
    }

    @Test
    void theEmfReaderExtractsAValidDocumentPerDimensionSetAndValue() {
        String logEvent = "{\"_aws\":{\"Timestamp\":1607497480000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"A\"],[\"A\",\"B\"]],\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"Count\"}]}]},"
                + "\"A\":\"a\",\"B\":\"b\",\"M\":[1,2],\"other\":{\"x\":true}}";

        assertThat(CloudWatchEmf.metrics(logEvent)).containsExactly(
                new Metric("N", "M", "Count", Map.of("A", "a"), List.of(1.0, 2.0), 1607497480000L),
                new Metric("N", "M", "Count", Map.of("A", "a", "B", "b"), List.of(1.0, 2.0), 1607497480000L));
    }
}
