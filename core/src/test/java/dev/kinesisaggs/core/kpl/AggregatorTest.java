package dev.kinesisaggs.core.kpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatorTest {

    private static byte[] tripJson(int i) {
        return ("{\"id\":\"id" + i + "\",\"vendor_id\":" + (i % 2 + 1) + ",\"pickup_datetime\":\"2016-01-01T00:00:00\","
                + "\"passenger_count\":1,\"trip_duration\":849}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<PutRecordEntry> accepted(AddResult result) {
        assertThat(result).isInstanceOf(AddResult.Accepted.class);
        return ((AddResult.Accepted) result).completed();
    }

    @Test
    void packsTripsIntoAggregatesOfAtMost51200Bytes() {
        Aggregator aggregator = new Aggregator();
        List<PutRecordEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            entries.addAll(accepted(aggregator.add("id" + i, null, tripJson(i))));
        }
        aggregator.flush().ifPresent(entries::add);

        assertThat(entries).allSatisfy(e -> {
            assertThat(e.aggregated()).isTrue();
            assertThat(e.data().length).isLessThanOrEqualTo(51_200);
        });
        assertThat(entries.stream().mapToInt(PutRecordEntry::userRecordCount).sum()).isEqualTo(2000);
        // full aggregates leave less room than one more trip (about 120 bytes with its key)
        assertThat(entries.subList(0, entries.size() - 1))
                .allSatisfy(e -> assertThat(e.data().length).isGreaterThan(51_200 - 130));
        assertThat(aggregator.pendingUserRecords()).isZero();
        assertThat(aggregator.flush()).isEmpty();
    }

    @Test
    void anAggregateRoutesLikeItsFirstUserRecord() {
        Aggregator aggregator = new Aggregator();
        aggregator.add("a", null, new byte[]{1});
        aggregator.add("b", null, new byte[]{2});
        PutRecordEntry entry = aggregator.flush().orElseThrow();

        // MD5("a") = 0cc175b9c0f1b6a831c399e269772661, read as an unsigned 128-bit integer
        assertThat(entry.partitionKey()).isEqualTo("a");
        assertThat(entry.explicitHashKey()).isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16).toString());

        aggregator.add("a", "12345", new byte[]{1});
        aggregator.add("b", null, new byte[]{2});
        assertThat(aggregator.flush().orElseThrow().explicitHashKey()).isEqualTo("12345");
    }

    @Test
    void keyTablesHoldEachKeyOnce() {
        Aggregator aggregator = new Aggregator();
        aggregator.add("vendor-1", "7", new byte[]{1});
        int afterFirst = aggregator.pendingAggregateBytes();
        aggregator.add("vendor-1", "7", new byte[]{2});
        int afterSecond = aggregator.pendingAggregateBytes();
        // the second record costs only its own entry: tag+length+(index field)+(ehk index field)+(data field)
        assertThat(afterSecond - afterFirst).isEqualTo(2 + 2 + 2 + 3);

        Deaggregated read = new Deaggregator().deaggregateToList(aggregator.flush().orElseThrow().data(), "x", null);
        assertThat(read.records()).extracting(UserRecord::partitionKey).containsExactly("vendor-1", "vendor-1");
        assertThat(read.records()).extracting(UserRecord::explicitHashKey).containsExactly("7", "7");
    }

    @Test
    void aSingleUserRecordIsSentPlainByDefaultAsKplDoes() {
        Aggregator aggregator = new Aggregator();
        byte[] data = tripJson(1);
        aggregator.add("id1", null, data);
        PutRecordEntry entry = aggregator.flush().orElseThrow();

        assertThat(entry.aggregated()).isFalse();
        assertThat(entry.data()).isSameAs(data);
        assertThat(entry.partitionKey()).isEqualTo("id1");
        assertThat(entry.explicitHashKey()).isNull();
    }

    @Test
    void aSingleUserRecordCanBeSentAsAOneRecordAggregate() {
        Aggregator aggregator = new Aggregator(Aggregator.DEFAULT_MAX_AGGREGATE_BYTES, SingleRecordMode.AGGREGATED);
        aggregator.add("id1", null, tripJson(1));
        PutRecordEntry entry = aggregator.flush().orElseThrow();

        assertThat(entry.aggregated()).isTrue();
        assertThat(KplFormat.hasMagic(entry.data(), 0, entry.data().length)).isTrue();
        assertThat(new Deaggregator().deaggregateToList(entry.data(), entry.partitionKey(), null).records())
                .containsExactly(new UserRecord(0, "id1", null, tripJson(1)));
    }

    @Test
    void aUserRecordTooLargeToAggregateFinishesTheCurrentAggregateAndGoesPlain() {
        Aggregator aggregator = new Aggregator();
        aggregator.add("small-1", null, new byte[10]);
        aggregator.add("small-2", null, new byte[10]);
        byte[] large = new byte[60_000];

        List<PutRecordEntry> completed = accepted(aggregator.add("large", null, large));

        assertThat(completed).hasSize(2);
        assertThat(completed.get(0).userRecordCount()).isEqualTo(2);
        assertThat(completed.get(1).aggregated()).isFalse();
        assertThat(completed.get(1).data()).isSameAs(large);
        assertThat(aggregator.pendingUserRecords()).isZero();
    }

    @Test
    void aUserRecordOverOneMebibyteWithItsKeyIsRejectedAndChangesNothing() {
        Aggregator aggregator = new Aggregator();
        aggregator.add("small", null, new byte[10]);

        AddResult tooLarge = aggregator.add("key", null, new byte[KplFormat.MAX_KINESIS_RECORD_BYTES - 2]);

        assertThat(tooLarge).isEqualTo(new AddResult.Rejected("a user record of 1048574 bytes with a partition key "
                + "of 3 bytes is over the Kinesis limit of 1048576 bytes: split it before sending"));
        assertThat(aggregator.pendingUserRecords()).isEqualTo(1);
        assertThat(accepted(aggregator.add("key", null, new byte[KplFormat.MAX_KINESIS_RECORD_BYTES - 3])))
                .extracting(PutRecordEntry::aggregated).containsExactly(false, false);
    }

    @Test
    void aggregatesOfUpToOneMebibyteStayUnderTheKinesisLimitWithTheirPartitionKey() {
        Aggregator aggregator = new Aggregator(KplFormat.MAX_KINESIS_RECORD_BYTES, SingleRecordMode.AGGREGATED);
        String key = "k".repeat(256);
        List<PutRecordEntry> entries = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            entries.addAll(accepted(aggregator.add(key, null, new byte[100_000])));
        }
        aggregator.flush().ifPresent(entries::add);
        assertThat(entries).allSatisfy(e ->
                assertThat(e.data().length + e.partitionKey().length()).isLessThanOrEqualTo(KplFormat.MAX_KINESIS_RECORD_BYTES));
        assertThat(entries.get(0).userRecordCount()).isEqualTo(10);
    }

    @Test
    void invalidKeysAreRejectedWithAReason() {
        Aggregator aggregator = new Aggregator();
        assertThat(aggregator.add("", null, new byte[1])).isInstanceOf(AddResult.Rejected.class);
        assertThat(aggregator.add("k".repeat(257), null, new byte[1]))
                .isEqualTo(new AddResult.Rejected("a partition key must have 1 to 256 characters, not 257"));
        assertThat(aggregator.add("k", "12a", new byte[1]))
                .isEqualTo(new AddResult.Rejected("an explicit hash key must be a decimal integer from 0 to 2^128-1, not \"12a\""));
        assertThat(aggregator.add("k", KplFormat.MAX_HASH_KEY.add(BigInteger.ONE).toString(), new byte[1]))
                .isInstanceOf(AddResult.Rejected.class);
        assertThat(aggregator.add("k", "-1", new byte[1])).isInstanceOf(AddResult.Rejected.class);
        assertThat(aggregator.add("k", null, null)).isInstanceOf(AddResult.Rejected.class);
        assertThat(aggregator.add("k", KplFormat.MAX_HASH_KEY.toString(), new byte[1])).isInstanceOf(AddResult.Accepted.class);
        assertThat(aggregator.pendingUserRecords()).isEqualTo(1);
    }

    @Test
    void theMaximumSizeMustFitAKinesisRecord() {
        assertThatThrownBy(() -> new Aggregator(KplFormat.MAX_KINESIS_RECORD_BYTES + 1, SingleRecordMode.PLAIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAggregateBytes must be in 21..1048576");
    }

    @Test
    void dataThatStartsWithTheMagicIsNeverSentPlain() {
        byte[] lookalike = new byte[]{(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2, 'x'};
        byte[] largeLookalike = java.util.Arrays.copyOf(lookalike, 60_000);
        Aggregator aggregator = new Aggregator();
        aggregator.add("k", null, lookalike);
        PutRecordEntry single = aggregator.flush().orElseThrow();
        List<PutRecordEntry> large = accepted(aggregator.add("k", null, largeLookalike));

        Deaggregator deaggregator = new Deaggregator();
        assertThat(single.aggregated()).isTrue();
        assertThat(deaggregator.deaggregateToList(single.data(), "k", null).records())
                .containsExactly(new UserRecord(0, "k", null, lookalike));
        assertThat(large).singleElement().satisfies(e -> assertThat(e.aggregated()).isTrue());
        assertThat(deaggregator.deaggregateToList(large.get(0).data(), "k", null).records())
                .containsExactly(new UserRecord(0, "k", null, largeLookalike));
    }
}
