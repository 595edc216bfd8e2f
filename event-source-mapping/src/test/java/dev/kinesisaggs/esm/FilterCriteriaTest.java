package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * FilterCriteria (spec §2; Lambda Developer Guide, "Lambda event filtering"): records no filter matches are dropped
 * before batching, never reach the function, and are checkpointed past ("the streams iterator advances past this record").
 */
class FilterCriteriaTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String VENDOR_2 = "{\"Filters\":[{\"Pattern\":\"{\\\"data\\\":{\\\"vendorId\\\":[2]}}\"}]}";

    private static EventSourceMappingConfig.Builder filtered(String criteria) {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).batchSize(10).filterCriteria(criteria);
    }

    @Test
    void recordsNoFilterMatchesAreNotDeliveredAndAreCheckpointedPast() {
        EsmTestDriver driver = EsmTestDriver.builder().config(filtered(VENDOR_2).build()).start(T0)
                .kinesisHandler(TestHandlers.accepting()).build();
        driver.append("{\"vendorId\":2,\"trip\":1}", 1);
        driver.append("{\"vendorId\":1,\"trip\":2}", 1);
        driver.append("{\"vendorId\":2,\"trip\":3}", 1);
        StreamRecord last = driver.append("{\"vendorId\":1,\"trip\":4}", 1);

        driver.advance(Duration.ofSeconds(5));

        assertThat(describe(driver.invocations())).containsExactly("[{\"vendorId\":2,\"trip\":1},{\"vendorId\":2,\"trip\":3}]");
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(last.sequenceNumber()));

        // after a restart, nothing is read again
        driver.restart().advance(Duration.ofSeconds(5));
        assertThat(driver.invocations()).hasSize(1);
    }

    @Test
    void aShardOfOnlyFilteredRecordsIsCheckpointedWithoutInvokingTheFunction() {
        EsmTestDriver driver = EsmTestDriver.builder().config(filtered(VENDOR_2).build()).start(T0)
                .kinesisHandler(TestHandlers.accepting()).build();
        driver.append("not JSON at all", 1);
        StreamRecord last = driver.append("{\"vendorId\":1}", 2);

        driver.advance(Duration.ofSeconds(5));

        assertThat(driver.invocations()).isEmpty();
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(last.sequenceNumber()));
    }

    @Test
    void inATumblingWindowOnlyMatchingRecordsReachTheStateAndFilteredOnesAreCheckpointedWithTheWindow() {
        EsmTestDriver driver = EsmTestDriver.builder().config(filtered(VENDOR_2).tumblingWindowInSeconds(30).build()).start(T0)
                .timeWindowHandler(TestHandlers.windowConcatenator()).build();
        driver.append("{\"vendorId\":2}", 1);
        StreamRecord filteredInWindow = driver.append("{\"vendorId\":1}", 2);

        driver.advance(Duration.ofSeconds(20));
        // the window is open: nothing of it is checkpointed yet, the filtered record included
        assertThat(driver.checkpoint(driver.shard(0))).isEmpty();

        driver.advance(Duration.ofSeconds(200));
        assertThat(describe(driver.invocations())).containsExactly(
                "00:00:00 [{\"vendorId\":2}] {}",
                "00:00:00 [] {\"seen\":\"{\\\"vendorId\\\":2}\"} FINAL");
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(filteredInWindow.sequenceNumber()));
    }

    @Test
    void aKplAggregatedRecordIsFilteredAsOneRecordWhoseDataIsNotJson() {
        // AWS filters the user records of an aggregate only for enhanced fan-out consumers; with GetRecords the
        // aggregate is one record whose data (magic bytes F3 89 9A C2, protobuf, MD5) is not JSON
        byte[] aggregate = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2, 0x0A, 0x01, 0x31, 0x1A, 0x06, 0x08, 0x00, 0x1A, 0x02, 0x7B, 0x7D};
        String onData = "{\"Filters\":[{\"Pattern\":\"{\\\"data\\\":{\\\"vendorId\\\":[{\\\"exists\\\":false}]}}\"}]}";
        EsmTestDriver dataFilter = EsmTestDriver.builder().config(filtered(onData).build()).start(T0)
                .kinesisHandler(TestHandlers.accepting()).build();
        StreamRecord dropped = dataFilter.stream().append(dataFilter.shard(0), "trips", aggregate, T0.plusSeconds(1));
        dataFilter.advance(Duration.ofSeconds(5));
        assertThat(dataFilter.invocations()).isEmpty();
        assertThat(dataFilter.checkpoint(dataFilter.shard(0))).contains(Checkpoint.at(dropped.sequenceNumber()));

        String onPartitionKey = "{\"Filters\":[{\"Pattern\":\"{\\\"partitionKey\\\":[\\\"trips\\\"]}\"}]}";
        EsmTestDriver keyFilter = EsmTestDriver.builder().config(filtered(onPartitionKey).build()).start(T0)
                .kinesisHandler(TestHandlers.accepting()).build();
        keyFilter.stream().append(keyFilter.shard(0), "trips", aggregate, T0.plusSeconds(1));
        keyFilter.advance(Duration.ofSeconds(5));
        assertThat(keyFilter.invocations()).singleElement().satisfies(i -> assertThat(i.recordCount()).isEqualTo(1));
    }

    @Test
    void withParallelLanesAFilteredTailIsCheckpointedOnceTheLanesAreDone() {
        EsmTestDriver driver = EsmTestDriver.builder().config(filtered(VENDOR_2).parallelizationFactor(4).build()).start(T0)
                .kinesisHandler(TestHandlers.accepting()).build();
        driver.append("{\"vendorId\":2,\"trip\":1}", 1);
        driver.append("{\"vendorId\":2,\"trip\":2}", 1);
        StreamRecord last = driver.append("{\"vendorId\":1,\"trip\":3}", 1);

        driver.advance(Duration.ofSeconds(5));

        assertThat(driver.invocations().stream().mapToInt(i -> i.recordCount()).sum()).isEqualTo(2);
        assertThat(driver.checkpoint(driver.shard(0))).contains(Checkpoint.at(last.sequenceNumber()));
    }
}
