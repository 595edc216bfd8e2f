package dev.kinesisaggs.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.producer.source.SourceItem;
import org.junit.jupiter.api.Test;

class ProducerBadRowKeyTest {

    @Test
    void aBadRowIsKeyedByItsFirstFieldOrElseItsLineNumber() {
        assertThat(Producer.badRowKey(new SourceItem.BadRow(7, "id0000007,2,x", "bad"))).isEqualTo("id0000007");
        assertThat(Producer.badRowKey(new SourceItem.BadRow(8, ",2,x", "bad"))).isEqualTo("line-8");
        assertThat(Producer.badRowKey(new SourceItem.BadRow(9, "", "bad"))).isEqualTo("line-9");
        assertThat(Producer.badRowKey(new SourceItem.BadRow(10, "k".repeat(300), "bad"))).hasSize(256);
        // never half of a surrogate pair, which would be no text at all
        assertThat(Producer.badRowKey(new SourceItem.BadRow(11, "a" + "\uD83D\uDE95".repeat(200) + ",2", "bad")))
                .isEqualTo("a" + "\uD83D\uDE95".repeat(127));
    }
}
