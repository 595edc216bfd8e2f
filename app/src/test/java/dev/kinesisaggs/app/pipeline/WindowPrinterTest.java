package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.aggregates.WindowAggregate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPrinterTest {
    private static final Instant START = Instant.parse("2026-11-27T12:32:20Z");
    private static final Instant END = Instant.parse("2026-11-27T12:32:30Z");

    @Test
    void oneLinePerWindowWithEachVendorAndTheTotal() {
        String line = WindowPrinter.line(List.of(WindowAggregate.of(1, START, END, 1_118, 88),
                WindowAggregate.of(2, START, END, 250, 116)), 1_234, false);

        assertThat(line).isEqualTo("12:32:20-12:32:30    vendor 1: 1,118 /    88  vendor 2:   250 /   116   total:  1,368 /    204"
                + "   rejected: 1,234");
    }

    @Test
    void aLaterPartOfTheSameWindowIsMarked() {
        assertThat(WindowPrinter.line(List.of(WindowAggregate.of(1, START, END, 5, 3)), 0, true))
                .endsWith("(updated: another shard's part)");
    }
}
