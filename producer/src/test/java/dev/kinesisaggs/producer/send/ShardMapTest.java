package dev.kinesisaggs.producer.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardMapTest {

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final BigInteger THIRD = MAX.divide(BigInteger.valueOf(3));

    private final ShardMap map = new ShardMap(Map.of(
            BigInteger.ZERO, "a", THIRD, "b", THIRD.shiftLeft(1), "c"));

    @Test
    void aHashKeyGoesToTheShardWhoseRangeHoldsIt() {
        assertThat(map.shardFor(BigInteger.ZERO)).isEqualTo("a");
        assertThat(map.shardFor(THIRD.subtract(BigInteger.ONE))).isEqualTo("a");
        assertThat(map.shardFor(THIRD)).isEqualTo("b");
        assertThat(map.shardFor(THIRD.shiftLeft(1))).isEqualTo("c");
        assertThat(map.shardFor(MAX)).isEqualTo("c");
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void rangesMustStartAtZero() {
        assertThatThrownBy(() -> new ShardMap(Map.of(BigInteger.TEN, "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardMap(Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
