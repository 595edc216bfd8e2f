package dev.kinesisaggs.core.kpl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.Messages;

/**
 * Our codec against KCL's: KCL's {@code AggregatorUtil} reads what we write as we do, and what
 * KCL's protobuf-generated {@code Messages} write is read by us as KCL reads it.
 */
class KclCompatibilityTest {

    private final AggregatorUtil kcl = new AggregatorUtil();
    private final Deaggregator ours = new Deaggregator();

    @Provide
    Arbitrary<List<InputRecord>> inputs() {
        return InputRecord.records(300).list().ofMinSize(1).ofMaxSize(40);
    }

    private List<UserRecord> readWithKcl(byte[] data, String partitionKey, String explicitHashKey) {
        KinesisClientRecord outer = KinesisClientRecord.builder()
                .sequenceNumber("49601189658422359378836298521827638475320189012309704722")
                .approximateArrivalTimestamp(Instant.parse("2026-01-01T00:00:00Z"))
                .partitionKey(partitionKey)
                .explicitHashKey(explicitHashKey)
                .data(ByteBuffer.wrap(data))
                .build();
        List<UserRecord> records = new ArrayList<>();
        for (KinesisClientRecord record : kcl.deaggregate(new ArrayList<>(List.of(outer)))) {
            byte[] bytes = new byte[record.data().remaining()];
            record.data().duplicate().get(bytes);
            records.add(new UserRecord((int) record.subSequenceNumber(), record.partitionKey(),
                    record.explicitHashKey(), bytes));
        }
        return records;
    }

    @Property(tries = 300)
    void kclReadsOurAggregatesAsWeDo(@ForAll("inputs") List<InputRecord> inputs,
                                     @ForAll @IntRange(min = 200, max = 8000) int maxAggregateBytes) {
        Aggregator aggregator = new Aggregator(maxAggregateBytes, SingleRecordMode.AGGREGATED);
        List<PutRecordEntry> entries = KplRoundTripTest.aggregateAll(aggregator, inputs);

        List<InputRecord> readByKcl = new ArrayList<>();
        for (PutRecordEntry entry : entries) {
            List<UserRecord> kclRecords = readWithKcl(entry.data(), entry.partitionKey(), entry.explicitHashKey());
            Deaggregated ourRecords = ours.deaggregateToList(entry.data(), entry.partitionKey(), entry.explicitHashKey());

            // a record too large to aggregate even alone is sent plain: both read it as one record
            assertThat(ourRecords.outcome()).isEqualTo(entry.aggregated()
                    ? new DeaggregationResult.Aggregated(entry.userRecordCount())
                    : DeaggregationResult.PLAIN);
            assertThat(ourRecords.records()).containsExactlyElementsOf(kclRecords);
            kclRecords.forEach(r -> readByKcl.add(new InputRecord(r.partitionKey(), r.explicitHashKey(), r.data())));
        }
        assertThat(readByKcl).containsExactlyElementsOf(inputs);
    }

    @Property(tries = 300)
    void weReadAggregatesWrittenWithKclsProtobufClassesAsKclDoes(@ForAll("inputs") List<InputRecord> inputs) {
        // KPL-style tables: each distinct key once, in order of first use
        Messages.AggregatedRecord.Builder builder = Messages.AggregatedRecord.newBuilder();
        List<String> partitionKeys = new ArrayList<>();
        List<String> explicitHashKeys = new ArrayList<>();
        for (InputRecord input : inputs) {
            if (!partitionKeys.contains(input.partitionKey())) {
                partitionKeys.add(input.partitionKey());
                builder.addPartitionKeyTable(input.partitionKey());
            }
            Messages.Record.Builder record = Messages.Record.newBuilder()
                    .setPartitionKeyIndex(partitionKeys.indexOf(input.partitionKey()))
                    .setData(ByteString.copyFrom(input.data()));
            if (input.explicitHashKey() != null) {
                if (!explicitHashKeys.contains(input.explicitHashKey())) {
                    explicitHashKeys.add(input.explicitHashKey());
                    builder.addExplicitHashKeyTable(input.explicitHashKey());
                }
                record.setExplicitHashKeyIndex(explicitHashKeys.indexOf(input.explicitHashKey()));
            }
            builder.addRecords(record);
        }
        byte[] data = RawAggregate.wrap(builder.build().toByteArray());

        List<UserRecord> kclRecords = readWithKcl(data, "outer", null);
        Deaggregated ourRecords = ours.deaggregateToList(data, "outer", null);

        assertThat(kclRecords).hasSize(inputs.size());
        assertThat(ourRecords.outcome()).isEqualTo(new DeaggregationResult.Aggregated(inputs.size()));
        assertThat(ourRecords.records()).containsExactlyElementsOf(kclRecords);
    }

    @Property(tries = 200)
    void kclParsesOurAggregatesIntoTheSameTablesWeWrote(@ForAll("inputs") List<InputRecord> inputs) throws Exception {
        Aggregator aggregator = new Aggregator(KplFormat.MAX_KINESIS_RECORD_BYTES, SingleRecordMode.AGGREGATED);
        List<PutRecordEntry> entries = KplRoundTripTest.aggregateAll(aggregator, inputs);
        assertThat(entries).hasSize(1);
        byte[] data = entries.get(0).data();
        Messages.AggregatedRecord parsed = Messages.AggregatedRecord.parseFrom(
                java.util.Arrays.copyOfRange(data, KplFormat.MAGIC_LENGTH, data.length - KplFormat.DIGEST_LENGTH));

        // tables are de-duplicated, in order of first use
        assertThat(parsed.getPartitionKeyTableList())
                .containsExactlyElementsOf(inputs.stream().map(InputRecord::partitionKey).distinct().toList());
        assertThat(parsed.getExplicitHashKeyTableList()).containsExactlyElementsOf(
                inputs.stream().map(InputRecord::explicitHashKey).filter(java.util.Objects::nonNull).distinct().toList());
        assertThat(parsed.getRecordsCount()).isEqualTo(inputs.size());
    }

    @org.junit.jupiter.api.Test
    void kclPassesAnAggregateWithABadMd5ThroughAsDataWhereWeRejectIt() {
        Aggregator aggregator = new Aggregator(Aggregator.DEFAULT_MAX_AGGREGATE_BYTES, SingleRecordMode.AGGREGATED);
        aggregator.add("k", null, new byte[]{1, 2, 3});
        byte[] data = aggregator.flush().orElseThrow().data();
        data[data.length - 1] ^= 1;

        // the deliberate difference: KCL hands on the damaged bytes as one plain record
        assertThat(readWithKcl(data, "outer", null)).containsExactly(new UserRecord(0, "outer", null, data));
        assertThat(ours.deaggregateToList(data, "outer", null).outcome())
                .isInstanceOf(DeaggregationResult.Broken.class);
    }
}
