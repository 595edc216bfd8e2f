package dev.kinesisaggs.core.kpl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class KplRoundTripTest {

    @Provide
    Arbitrary<List<InputRecord>> inputs() {
        return InputRecord.records(400).list().ofMinSize(1).ofMaxSize(60);
    }

    static List<PutRecordEntry> aggregateAll(Aggregator aggregator, List<InputRecord> inputs) {
        List<PutRecordEntry> entries = new ArrayList<>();
        for (InputRecord input : inputs) {
            AddResult result = aggregator.add(input.partitionKey(), input.explicitHashKey(), input.data());
            assertThat(result).isInstanceOf(AddResult.Accepted.class);
            entries.addAll(((AddResult.Accepted) result).completed());
        }
        aggregator.flush().ifPresent(entries::add);
        return entries;
    }

    @Property
    void whatIsAggregatedDeaggregatesToTheSameUserRecordsInOrder(
            @ForAll("inputs") List<InputRecord> inputs,
            @ForAll @IntRange(min = 100, max = 6000) int maxAggregateBytes,
            @ForAll SingleRecordMode mode) {
        List<PutRecordEntry> entries = aggregateAll(new Aggregator(maxAggregateBytes, mode), inputs);

        Deaggregator deaggregator = new Deaggregator();
        List<InputRecord> output = new ArrayList<>();
        for (PutRecordEntry entry : entries) {
            Deaggregated read = deaggregator.deaggregateToList(entry.data(), entry.partitionKey(), entry.explicitHashKey());
            assertThat(read.outcome()).isEqualTo(entry.aggregated()
                    ? new DeaggregationResult.Aggregated(entry.userRecordCount())
                    : DeaggregationResult.PLAIN);
            for (int i = 0; i < read.records().size(); i++) {
                UserRecord record = read.records().get(i);
                assertThat(record.subSequenceNumber()).isEqualTo(i);
                output.add(new InputRecord(record.partitionKey(), record.explicitHashKey(), record.data()));
            }
            assertThat(entry.data().length + entry.partitionKey().getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(KplFormat.MAX_KINESIS_RECORD_BYTES);
            if (entry.aggregated()) {
                UserRecord first = read.records().get(0);
                // only a lone user record that would pass for an aggregate if sent plain may exceed the maximum
                boolean lookalikeAlone = read.records().size() == 1
                        && KplFormat.hasMagic(first.data(), 0, first.data().length);
                if (!lookalikeAlone) {
                    assertThat(entry.data().length).isLessThanOrEqualTo(maxAggregateBytes);
                }
                // the aggregate goes to the shard of its first user record
                assertThat(entry.partitionKey()).isEqualTo(first.partitionKey());
                assertThat(entry.explicitHashKey()).isEqualTo(first.explicitHashKey() != null
                        ? first.explicitHashKey()
                        : KplFormat.hashKeyOf(first.partitionKey()).toString());
            } else {
                assertThat(entry.userRecordCount()).isEqualTo(1);
            }
        }
        assertThat(output).containsExactlyElementsOf(inputs);
    }

    @Property
    void aggregatesAreNeverNeedlesslySmall(@ForAll @Size(min = 2, max = 80) List<@IntRange(min = 0, max = 300) Integer> sizes) {
        // every aggregate but the last is full: the next record would not have fitted
        Aggregator aggregator = new Aggregator(2000, SingleRecordMode.AGGREGATED);
        List<Integer> pendingBefore = new ArrayList<>();
        List<PutRecordEntry> entries = new ArrayList<>();
        int i = 0;
        for (int size : sizes) {
            int before = aggregator.pendingAggregateBytes();
            AddResult result = aggregator.add("key-" + (i++ % 7), null, new byte[size]);
            List<PutRecordEntry> completed = ((AddResult.Accepted) result).completed();
            if (!completed.isEmpty()) {
                pendingBefore.add(before);
                entries.addAll(completed);
                // the record that did not fit, alone with a fresh key table, is bigger than what was left
                assertThat(before + size).isGreaterThan(2000 - 20);
            }
        }
        assertThat(entries).allSatisfy(e -> assertThat(e.data().length).isLessThanOrEqualTo(2000));
        assertThat(pendingBefore).allSatisfy(b -> assertThat(b).isPositive());
    }
}
