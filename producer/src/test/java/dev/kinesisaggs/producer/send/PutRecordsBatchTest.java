package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.PutRecordEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PutRecordsBatchTest {

    /** Cuts the records into batches the way the producer does: send when the next one does not fit, or when full. */
    private static List<List<PutRecordEntry>> cut(List<PutRecordEntry> records, BatchLimits limits) {
        PutRecordsBatch batch = new PutRecordsBatch(limits);
        List<List<PutRecordEntry>> batches = new ArrayList<>();
        for (PutRecordEntry r : records) {
            if (!batch.hasRoomFor(r)) {
                batches.add(batch.drain());
            }
            batch.add(r);
            if (batch.isFull()) {
                batches.add(batch.drain());
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch.drain());
        }
        return batches;
    }

    private static PutRecordEntry record(String key, int dataBytes) {
        return new PutRecordEntry(key, null, new byte[dataBytes], 1, false);
    }

    @Test
    void fiveHundredRecordsAtMostPerRequest() {
        List<PutRecordEntry> records = new ArrayList<>();
        for (int i = 0; i < 1201; i++) {
            records.add(record("id" + i, 300));
        }
        List<List<PutRecordEntry>> batches = cut(records, BatchLimits.KINESIS);
        assertThat(batches).extracting(List::size).containsExactly(500, 500, 201);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(records);
    }

    @Test
    void fiveMebibytesAtMostPerRequestCountingPartitionKeys() {
        // records of 51,200 bytes of data + a 9-byte key: 51,209 bytes each; the 5 MiB limit is 5,242,880
        List<PutRecordEntry> records = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            records.add(record(String.format("id%07d", i), 51_200));
        }
        List<List<PutRecordEntry>> batches = cut(records, BatchLimits.KINESIS);
        assertThat(batches).allSatisfy(b ->
                assertThat(b.stream().mapToLong(PutRecordsBatch::requestBytes).sum()).isLessThanOrEqualTo(5L * 1024 * 1024));
        // 102 records are 5,223,318 bytes, 103 would be 5,274,527
        assertThat(batches).extracting(List::size).containsExactly(102, 102, 46);
    }

    @Test
    void aRecordExactlyFillingTheRemainingBytesJoinsAndClosesTheBatch() {
        PutRecordsBatch batch = new PutRecordsBatch(new BatchLimits(10, 100));
        batch.add(record("a", 49)); // 50 bytes
        PutRecordEntry fits = record("b", 49);
        assertThat(batch.hasRoomFor(fits)).isTrue();
        batch.add(fits);
        assertThat(batch.isFull()).isTrue();
        assertThat(batch.hasRoomFor(record("c", 0))).isFalse();
        assertThat(batch.drain()).hasSize(2);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(batch.bytes()).isZero();
    }

    @Test
    void anEmptyBatchTakesEvenARecordLargerThanItsByteLimitAndRefusesMore() {
        PutRecordsBatch batch = new PutRecordsBatch(new BatchLimits(10, 100));
        batch.add(record("big", 500));
        assertThat(batch.isFull()).isTrue();
        assertThatThrownBy(() -> batch.add(record("x", 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestBytesCountsTheKeyInUtf8() {
        assertThat(PutRecordsBatch.requestBytes(new PutRecordEntry("é", null, new byte[10], 1, false))).isEqualTo(12L);
    }
}
