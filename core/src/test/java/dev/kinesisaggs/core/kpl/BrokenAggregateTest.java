package dev.kinesisaggs.core.kpl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.trip.RejectReason;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Damaged aggregates: always exactly one BAD_AGGREGATE or a complete read, never an exception. */
class BrokenAggregateTest {

    private final Deaggregator deaggregator = new Deaggregator();

    @Provide
    Arbitrary<byte[]> aggregates() {
        return InputRecord.records(60).list().ofMinSize(1).ofMaxSize(12).map(inputs -> {
            Aggregator aggregator = new Aggregator(KplFormat.MAX_KINESIS_RECORD_BYTES, SingleRecordMode.AGGREGATED);
            inputs.forEach(r -> aggregator.add(r.partitionKey(), r.explicitHashKey(), r.data()));
            return aggregator.flush().orElseThrow().data();
        });
    }

    /** Runs the deaggregator and checks the outcome agrees with what the sink saw. */
    private DeaggregationResult readChecked(byte[] data) {
        int[] calls = {0};
        DeaggregationResult result = deaggregator.deaggregate(data, "outer", null,
                (sub, keys, bytes, off, len) -> {
                    assertThat(sub).isEqualTo(calls[0]);
                    assertThat(off).isBetween(0, bytes.length);
                    assertThat(off + len).isBetween(off, bytes.length);
                    calls[0]++;
                });
        if (result instanceof DeaggregationResult.Broken broken) {
            assertThat(calls[0]).isZero();
            assertThat(broken.rejection().reason()).isEqualTo(RejectReason.BAD_AGGREGATE);
        } else if (result instanceof DeaggregationResult.Aggregated aggregated) {
            assertThat(calls[0]).isEqualTo(aggregated.userRecordCount());
        } else {
            assertThat(calls[0]).isEqualTo(1);
        }
        return result;
    }

    @Property
    void aFlippedBitAfterTheMagicIsOneRejection(@ForAll("aggregates") byte[] aggregate,
                                                @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
                                                @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] damaged = aggregate.clone();
        int index = KplFormat.MAGIC_LENGTH + where % (damaged.length - KplFormat.MAGIC_LENGTH);
        damaged[index] ^= (byte) (1 << bit);
        assertThat(readChecked(damaged)).isInstanceOf(DeaggregationResult.Broken.class);
    }

    @Property
    void aTruncatedAggregateIsOneRejection(@ForAll("aggregates") byte[] aggregate,
                                           @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int cut) {
        int length = KplFormat.MAGIC_LENGTH + cut % (aggregate.length - KplFormat.MAGIC_LENGTH);
        assertThat(readChecked(Arrays.copyOf(aggregate, length))).isInstanceOf(DeaggregationResult.Broken.class);
    }

    @Property(tries = 2000)
    void damagedProtobufWithAValidMd5IsReadWholeOrRejectedWhole(
            @ForAll("aggregates") byte[] aggregate,
            @ForAll List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
            @ForAll List<Byte> values) {
        // damage the protobuf itself and re-seal it with a correct MD5, so the parser must cope
        byte[] protobuf = Arrays.copyOfRange(aggregate, KplFormat.MAGIC_LENGTH, aggregate.length - KplFormat.DIGEST_LENGTH);
        for (int i = 0; i < Math.min(positions.size(), values.size()); i++) {
            protobuf[positions.get(i) % protobuf.length] = values.get(i);
        }
        readChecked(RawAggregate.wrap(protobuf));
    }

    @Property(tries = 2000)
    void randomBytesAfterTheMagicNeverThrow(@ForAll byte[] tail, @ForAll boolean sealWithMd5) {
        byte[] data = sealWithMd5 ? RawAggregate.wrap(tail) : concat(KplFormat.magic(), tail);
        readChecked(data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
