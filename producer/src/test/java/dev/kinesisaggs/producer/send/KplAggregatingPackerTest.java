package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.PutRecordEntry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.kpl.Deaggregated;
import dev.kinesisaggs.core.kpl.DeaggregationResult;
import dev.kinesisaggs.core.kpl.Deaggregator;
import dev.kinesisaggs.core.kpl.KplFormat;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KplAggregatingPackerTest {

    private static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);
    private final ShardMap twoShards = new ShardMap(Map.of(BigInteger.ZERO, "shard-0", HALF, "shard-1"));

    private static RecordToSend trip(int i) {
        String id = String.format("id%07d", i);
        return new RecordToSend(id, ("{\"id\":\"" + id + "\",\"vendorId\":2,\"padding\":\"" + "x".repeat(300) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static List<PutRecordEntry> packAll(RecordPacker packer, int n) {
        List<PutRecordEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(packer.add(trip(i)));
        }
        out.addAll(packer.flush());
        return out;
    }

    @Test
    void everyTripTravelsInAnAggregateRoutedToItsOwnShard() {
        List<PutRecordEntry> records = packAll(new KplAggregatingPacker(twoShards), 2000);
        int trips = 0;
        for (PutRecordEntry record : records) {
            String outerShard = twoShards.shardFor(new BigInteger(record.explicitHashKey()));
            Deaggregated d = Deaggregator.forCurrentThread().deaggregateToList(record.data(), record.partitionKey(), record.explicitHashKey());
            assertThat(d.outcome()).isInstanceOf(DeaggregationResult.Aggregated.class);
            assertThat(d.records()).hasSize(record.userRecordCount());
            for (var user : d.records()) {
                assertThat(twoShards.shardFor(KplFormat.hashKeyOf(user.partitionKey()))).isEqualTo(outerShard);
            }
            assertThat(record.data().length).isLessThanOrEqualTo(51_200);
            trips += d.records().size();
        }
        assertThat(trips).isEqualTo(2000);
        // about 150 trips of 340 bytes per 51,200-byte aggregate
        assertThat(records.size()).isBetween(12, 20);
    }

    @Test
    void withoutAShardMapTripsShareAggregatesInTheirOrder() {
        List<PutRecordEntry> records = packAll(new KplAggregatingPacker(null), 1000);
        List<String> keys = new ArrayList<>();
        for (PutRecordEntry record : records) {
            Deaggregated d = Deaggregator.forCurrentThread().deaggregateToList(record.data(), record.partitionKey(), record.explicitHashKey());
            d.records().forEach(u -> keys.add(u.partitionKey()));
            assertThat(record.partitionKey()).isEqualTo(d.records().get(0).partitionKey());
        }
        assertThat(keys).isEqualTo(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> trip(i).partitionKey()).toList());
    }

    @Test
    void countsWhatIsBuffered() {
        KplAggregatingPacker packer = new KplAggregatingPacker(twoShards);
        int returned = 0;
        for (int i = 0; i < 500; i++) {
            returned += packer.add(trip(i)).stream().mapToInt(PutRecordEntry::userRecordCount).sum();
        }
        assertThat(packer.buffered()).isEqualTo(500 - returned).isPositive();
        assertThat(packer.flush().stream().mapToInt(PutRecordEntry::userRecordCount).sum()).isEqualTo(500 - returned);
        assertThat(packer.buffered()).isZero();
        assertThat(packer.flush()).isEmpty();
    }

    @Test
    void oneRecordPerTripKeepsKeysAndLetsKinesisHashThem() {
        List<PutRecordEntry> records = packAll(new OneRecordPerTrip(), 10);
        assertThat(records).hasSize(10);
        assertThat(records.get(3).partitionKey()).isEqualTo("id0000003");
        assertThat(records.get(3).explicitHashKey()).isNull();
        assertThat(records.get(3).data()).isEqualTo(trip(3).data());
    }
}
