package dev.kinesisaggs.core.kpl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.RejectReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeaggregatorTest {

    private final Deaggregator deaggregator = new Deaggregator();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static UserRecord record(int sub, String pk, String ehk, String data) {
        return new UserRecord(sub, pk, ehk, utf8(data));
    }

    private Deaggregated read(byte[] data) {
        return deaggregator.deaggregateToList(data, "outer-key", null);
    }

    private String brokenDetail(byte[] data) {
        List<Integer> seen = new ArrayList<>();
        DeaggregationResult result = deaggregator.deaggregate(data, "outer-key", null,
                (sub, keys, bytes, off, len) -> seen.add(sub));
        assertThat(seen).as("user records passed on from a broken aggregate").isEmpty();
        assertThat(result).isInstanceOf(DeaggregationResult.Broken.class);
        var rejection = ((DeaggregationResult.Broken) result).rejection();
        assertThat(rejection.reason()).isEqualTo(RejectReason.BAD_AGGREGATE);
        assertThat(rejection.field()).isNull();
        return rejection.detail();
    }

    @Test
    void aPlainRecordIsOneUserRecordWithTheOuterKeys() {
        Deaggregated result = deaggregator.deaggregateToList(utf8("{\"id\":\"t1\"}"), "t1", "42");

        assertThat(result.outcome()).isEqualTo(DeaggregationResult.PLAIN);
        assertThat(result.records()).containsExactly(record(0, "t1", "42", "{\"id\":\"t1\"}"));
    }

    @Test
    void emptyDataAndDataShorterThanTheMagicArePlain() {
        assertThat(read(new byte[0]).records()).containsExactly(new UserRecord(0, "outer-key", null, new byte[0]));
        byte[] threeMagicBytes = Arrays.copyOf(KplFormat.magic(), 3);
        assertThat(read(threeMagicBytes).outcome()).isEqualTo(DeaggregationResult.PLAIN);
    }

    @Test
    void anAggregateYieldsEachUserRecordWithItsOwnKeysAndSubSequenceNumber() {
        byte[] aggregate = new RawAggregate()
                .partitionKey("a").partitionKey("b")
                .explicitHashKey("12345")
                .record(RawAggregate.userRecord(0, "first"))
                .record(RawAggregate.userRecord(1, "second").tag(2, 0).varint(0))
                .record(RawAggregate.userRecord(0, ""))
                .withMagicAndMd5();

        Deaggregated result = read(aggregate);

        assertThat(result.outcome()).isEqualTo(new DeaggregationResult.Aggregated(3));
        assertThat(result.records()).containsExactly(
                record(0, "a", null, "first"),
                record(1, "b", "12345", "second"),
                record(2, "a", null, ""));
    }

    @Test
    void userRecordDataIsAViewIntoTheInputNotACopy() {
        byte[] aggregate = new RawAggregate().partitionKey("k").record(RawAggregate.userRecord(0, "xyz")).withMagicAndMd5();
        int[] seen = new int[2];
        byte[][] array = new byte[1][];
        deaggregator.deaggregate(aggregate, "outer", null, (sub, keys, bytes, off, len) -> {
            array[0] = bytes;
            seen[0] = off;
            seen[1] = len;
        });
        assertThat(array[0]).isSameAs(aggregate);
        assertThat(new String(aggregate, seen[0], seen[1], StandardCharsets.UTF_8)).isEqualTo("xyz");
    }

    @Test
    void readsAnAggregateInTheMiddleOfAnArrayAndInAByteBuffer() {
        byte[] aggregate = new RawAggregate().partitionKey("k").record(RawAggregate.userRecord(0, "xyz")).withMagicAndMd5();
        byte[] padded = new byte[aggregate.length + 10];
        System.arraycopy(aggregate, 0, padded, 7, aggregate.length);
        List<String> data = new ArrayList<>();
        UserRecordSink sink = (sub, keys, bytes, off, len) -> data.add(new String(bytes, off, len, StandardCharsets.UTF_8));

        assertThat(deaggregator.deaggregate(padded, 7, aggregate.length, "o", null, sink))
                .isEqualTo(new DeaggregationResult.Aggregated(1));
        assertThat(deaggregator.deaggregate(ByteBuffer.wrap(padded, 7, aggregate.length).slice(), "o", null, sink))
                .isEqualTo(new DeaggregationResult.Aggregated(1));
        ByteBuffer direct = ByteBuffer.allocateDirect(aggregate.length).put(aggregate).flip();
        assertThat(deaggregator.deaggregate(direct, "o", null, sink)).isEqualTo(new DeaggregationResult.Aggregated(1));
        assertThat(data).containsExactly("xyz", "xyz", "xyz");
    }

    @Test
    void unknownFieldsOfEveryWireTypeAndTagsAreSkipped() {
        RawAggregate tag = new RawAggregate().lengthDelimited(1, utf8("tag-key")).lengthDelimited(2, utf8("v"));
        byte[] aggregate = new RawAggregate()
                .tag(9, 0).varint(300)
                .tag(10, 1).bytes(new byte[8])
                .lengthDelimited(11, utf8("unknown"))
                .tag(12, 5).bytes(new byte[4])
                .partitionKey("k")
                .record(RawAggregate.userRecord(0, "data").lengthDelimited(4, tag.protobufBytes()).tag(7, 0).varint(1))
                .withMagicAndMd5();

        assertThat(read(aggregate).records()).containsExactly(record(0, "k", null, "data"));
    }

    @Test
    void keyTablesMayComeAfterTheRecordsAndARepeatedIndexKeepsItsLastValue() {
        byte[] aggregate = new RawAggregate()
                .record(RawAggregate.userRecord(0, "data").tag(1, 0).varint(1))
                .partitionKey("first").partitionKey("second")
                .withMagicAndMd5();

        assertThat(read(aggregate).records()).containsExactly(record(0, "second", null, "data"));
    }

    @Test
    void keysAreDecodedOncePerTableEntry() {
        byte[] aggregate = new RawAggregate().partitionKey("shared")
                .record(RawAggregate.userRecord(0, "1")).record(RawAggregate.userRecord(0, "2"))
                .withMagicAndMd5();
        List<String> keys = new ArrayList<>();
        deaggregator.deaggregate(aggregate, "o", null, (sub, userKeys, bytes, off, len) -> keys.add(userKeys.partitionKey()));
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)).isEqualTo("shared").isSameAs(keys.get(1));
    }

    @Test
    void aBadMd5IsOneRejection() {
        byte[] aggregate = new RawAggregate().partitionKey("k").record(RawAggregate.userRecord(0, "data")).withMagicAndMd5();
        aggregate[aggregate.length - 1] ^= 1;
        assertThat(brokenDetail(aggregate)).contains("MD5");
        aggregate[aggregate.length - 1] ^= 1;
        aggregate[10] ^= 0x40;
        assertThat(brokenDetail(aggregate)).contains("MD5");
    }

    @Test
    void anAggregateTruncatedAtAnyByteIsOneRejection() {
        byte[] aggregate = new RawAggregate().partitionKey("k").explicitHashKey("7")
                .record(RawAggregate.userRecord(0, "data").tag(2, 0).varint(0))
                .record(RawAggregate.userRecord(0, "more")).withMagicAndMd5();
        for (int length = KplFormat.MAGIC_LENGTH; length < aggregate.length; length++) {
            String detail = brokenDetail(Arrays.copyOf(aggregate, length));
            assertThat(detail).as("truncated to %d bytes", length).containsAnyOf("MD5", "shorter");
        }
    }

    @Test
    void magicFollowedByLessThanAnMd5IsOneRejection() {
        byte[] tooShort = Arrays.copyOf(KplFormat.magic(), 19);
        assertThat(brokenDetail(tooShort)).isEqualTo("KPL aggregate of 19 bytes is shorter than its magic number and MD5 (20 bytes)");
    }

    @Test
    void anAggregateWithoutUserRecordsIsOneRejection() {
        assertThat(brokenDetail(RawAggregate.wrap(new byte[0]))).contains("holds no user record");
        assertThat(brokenDetail(new RawAggregate().partitionKey("k").withMagicAndMd5())).contains("holds no user record");
    }

    @Test
    void indicesOutsideTheKeyTablesAreOneRejection() {
        byte[] badPartitionKey = new RawAggregate().partitionKey("k")
                .record(RawAggregate.userRecord(0, "fine")).record(RawAggregate.userRecord(1, "bad")).withMagicAndMd5();
        assertThat(brokenDetail(badPartitionKey))
                .isEqualTo("KPL aggregate user record 1 has partition key index 1 but the table holds 1 keys");

        byte[] badHashKey = new RawAggregate().partitionKey("k")
                .record(RawAggregate.userRecord(0, "bad").tag(2, 0).varint(0)).withMagicAndMd5();
        assertThat(brokenDetail(badHashKey)).contains("explicit hash key index 0 but the table holds 0 keys");

        byte[] hugeIndex = new RawAggregate().partitionKey("k").record(RawAggregate.userRecord(-1L, "bad")).withMagicAndMd5();
        assertThat(brokenDetail(hugeIndex))
                .isEqualTo("KPL aggregate user record 0 has partition key index 18446744073709551615, beyond any key table");
        byte[] beyondAnInt = new RawAggregate().partitionKey("k")
                .record(RawAggregate.userRecord(0, "bad").tag(2, 0).varint(1L << 31)).withMagicAndMd5();
        assertThat(brokenDetail(beyondAnInt))
                .isEqualTo("KPL aggregate user record 0 has explicit hash key index 2147483648, beyond any key table");
    }

    @Test
    void aUserRecordWithoutPartitionKeyIndexOrDataIsOneRejection() {
        byte[] noIndex = new RawAggregate().partitionKey("k")
                .record(new RawAggregate().lengthDelimited(3, utf8("d"))).withMagicAndMd5();
        assertThat(brokenDetail(noIndex)).contains("user record 0 has no partition key index");

        byte[] noData = new RawAggregate().partitionKey("k")
                .record(new RawAggregate().tag(1, 0).varint(0)).withMagicAndMd5();
        assertThat(brokenDetail(noData)).contains("user record 0 has no data");
    }

    @Test
    void aKnownFieldWithTheWrongWireTypeIsOneRejection() {
        byte[] tableAsVarint = new RawAggregate().tag(1, 0).varint(5).record(RawAggregate.userRecord(0, "d")).withMagicAndMd5();
        assertThat(brokenDetail(tableAsVarint)).contains("field 1 has wire type 0 instead of 2");

        byte[] indexAsBytes = new RawAggregate().partitionKey("k")
                .record(new RawAggregate().lengthDelimited(1, new byte[]{0}).lengthDelimited(3, utf8("d"))).withMagicAndMd5();
        assertThat(brokenDetail(indexAsBytes)).contains("user record 0 field 1 has wire type 2 instead of 0");
    }

    @Test
    void malformedWireFormatIsOneRejection() {
        byte[] overlongVarint = new RawAggregate().partitionKey("k").tag(9, 0)
                .bytes(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01})
                .withMagicAndMd5();
        assertThat(brokenDetail(overlongVarint)).contains("varint over 64 bits");

        byte[] tenthByteTooBig = new RawAggregate().partitionKey("k").tag(9, 0)
                .bytes(new byte[]{(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x02})
                .withMagicAndMd5();
        assertThat(brokenDetail(tenthByteTooBig)).contains("varint over 64 bits");

        byte[] unfinishedVarint = new RawAggregate().partitionKey("k").tag(9, 0).bytes(new byte[]{(byte) 0x80}).withMagicAndMd5();
        assertThat(brokenDetail(unfinishedVarint)).contains("varint that runs past the end");

        byte[] lengthPastEnd = new RawAggregate().tag(1, 2).varint(100).bytes(utf8("short")).withMagicAndMd5();
        assertThat(brokenDetail(lengthPastEnd)).contains("length 100 past the end");

        byte[] dataPastItsRecord = new RawAggregate().partitionKey("k")
                .record(new RawAggregate().tag(1, 0).varint(0).tag(3, 2).varint(2)).bytes(utf8("xx")).withMagicAndMd5();
        assertThat(brokenDetail(dataPastItsRecord)).contains("length 2 past the end");

        byte[] group = new RawAggregate().partitionKey("k").tag(9, 3).withMagicAndMd5();
        assertThat(brokenDetail(group)).contains("unsupported wire type 3");

        byte[] fieldZero = new RawAggregate().tag(0, 2).varint(0).withMagicAndMd5();
        assertThat(brokenDetail(fieldZero)).contains("field number 0");

        byte[] fixed64PastEnd = new RawAggregate().partitionKey("k").tag(9, 1).bytes(new byte[3]).withMagicAndMd5();
        assertThat(brokenDetail(fixed64PastEnd)).contains("fixed64");
    }

    @Test
    void theDeaggregatorIsReusableAfterABrokenAggregate() {
        byte[] bigTable = new RawAggregate().partitionKey("a").partitionKey("b").partitionKey("c")
                .record(RawAggregate.userRecord(2, "x")).record(RawAggregate.userRecord(9, "y")).withMagicAndMd5();
        brokenDetail(bigTable);
        byte[] good = new RawAggregate().partitionKey("z").record(RawAggregate.userRecord(0, "ok")).withMagicAndMd5();
        assertThat(read(good).records()).containsExactly(record(0, "z", null, "ok"));
    }
}
