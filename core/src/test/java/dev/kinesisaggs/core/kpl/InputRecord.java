package dev.kinesisaggs.core.kpl;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** A user record as the producer hands it over, and jqwik generators of them. */
record InputRecord(String partitionKey, String explicitHashKey, byte[] data) {

    @Override
    public boolean equals(Object other) {
        return other instanceof InputRecord that && partitionKey.equals(that.partitionKey)
                && Objects.equals(explicitHashKey, that.explicitHashKey) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "InputRecord[" + partitionKey + ", " + explicitHashKey + ", " + data.length + " bytes]";
    }

    /** Keys of 1 to 12 code points over ASCII, accents, CJK and emoji (no lone surrogates), often repeated. */
    static Arbitrary<String> partitionKeys() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xA0, 0x17F)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x4E00, 0x4E80)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x1F600, 0x1F64F)));
        Arbitrary<String> fresh = codePoint.list().ofMinSize(1).ofMaxSize(12)
                .map(cps -> cps.stream().map(Character::toString).collect(Collectors.joining()));
        // a small pool makes repeated keys common, which exercises the de-duplicated tables
        return Arbitraries.oneOf(fresh, Arbitraries.of("id0190469", "ключ", "車両-2", "😀"));
    }

    static Arbitrary<String> explicitHashKeys() {
        Arbitrary<String> any = Arbitraries.bigIntegers().between(java.math.BigInteger.ZERO, KplFormat.MAX_HASH_KEY)
                .map(java.math.BigInteger::toString);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(1, any),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("0", "170141183460469231731687303715884105728")));
    }

    static Arbitrary<InputRecord> records(int maxDataBytes) {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(maxDataBytes);
        // now and then data that itself starts with the KPL magic, which must not pass for an aggregate
        Arbitrary<byte[]> lookalike = random.map(bytes -> {
            byte[] withMagic = Arrays.copyOf(KplFormat.magic(), KplFormat.MAGIC_LENGTH + bytes.length);
            System.arraycopy(bytes, 0, withMagic, KplFormat.MAGIC_LENGTH, bytes.length);
            return withMagic;
        });
        Arbitrary<byte[]> data = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, random), net.jqwik.api.Tuple.of(1, lookalike));
        return Combinators.combine(partitionKeys(), explicitHashKeys(), data).as(InputRecord::new);
    }
}
