package dev.kinesisaggs.producer.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionKeysTest {

    private static final String TAXI = "\uD83D\uDE95"; // one code point, two UTF-16 units

    @Test
    void aTextOfAtMost256Utf16UnitsIsItsOwnKey() {
        assertThat(PartitionKeys.of("id0000001")).isEqualTo("id0000001");
        assertThat(PartitionKeys.of("k".repeat(256))).isEqualTo("k".repeat(256));
        assertThat(PartitionKeys.of(TAXI.repeat(128))).isEqualTo(TAXI.repeat(128));
    }

    @Test
    void aLongerTextIsCutAt256UnitsOrJustBeforeWhereThatWouldSplitACodePoint() {
        assertThat(PartitionKeys.of("k".repeat(300))).isEqualTo("k".repeat(256));
        assertThat(PartitionKeys.of(TAXI.repeat(200))).isEqualTo(TAXI.repeat(128));
        // shifted by one unit, the 256th unit is the first half of a pair: the pair is left out whole
        String shifted = PartitionKeys.of("a" + TAXI.repeat(200));
        assertThat(shifted).isEqualTo("a" + TAXI.repeat(127)).hasSize(255);
        assertThat(Character.isHighSurrogate(shifted.charAt(shifted.length() - 1))).isFalse();
    }

    @Test
    void anEmptyTextHasNoKey() {
        assertThatThrownBy(() -> PartitionKeys.of("")).isInstanceOf(IllegalArgumentException.class);
    }
}
