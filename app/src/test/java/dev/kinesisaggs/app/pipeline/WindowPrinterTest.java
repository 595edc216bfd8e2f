package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.SkippedItems;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /** A newcomer's probe: the windows a demo printed added up to less than it sent, with nothing saying why. */
    @Test
    void saysWhichWindowsTheLastReadFoundOpen() {
        Instant next = END;
        WindowPrinter printer = new WindowPrinter(from -> new AggregatesQuery.Result(List.of(WindowAggregate.of(1, START, END, 5, 3)),
                Set.of(START), Set.of(next), Map.of(), true, SkippedItems.NONE), START, new PrintWriter(new StringWriter(), true));
        assertThat(printer.unfinished()).isEmpty();

        printer.poll();

        assertThat(printer.unfinished()).hasValue("Still open at the last read (final invokes to come, or given up): not printed:"
                + " 12:32:30; printed with some shards' sums only: 12:32:20.");
    }

    @Test
    void aDemoOfHoursReadsOnlyTheWindowsThatCanStillChangeAndCountsEveryWindowItPrinted() {
        Instant demoStart = Instant.parse("2026-12-03T16:00:00Z");
        Duration window = Duration.ofSeconds(30);
        TreeMap<Instant, WindowAggregate> table = new TreeMap<>(); // what the aggregates table holds, by window start
        List<Instant> readsFrom = new ArrayList<>();
        StringWriter out = new StringWriter();
        WindowPrinter printer = new WindowPrinter(from -> {
            readsFrom.add(from);
            return new AggregatesQuery.Result(List.copyOf(table.tailMap(from, true).values()), Set.of(), Set.of(), Map.of(), true,
                    SkippedItems.NONE);
        }, demoStart, new PrintWriter(out, true));

        int windows = 60; // half an hour of 30 s windows, one poll after each lands
        for (int i = 0; i < windows; i++) {
            Instant start = demoStart.plus(window.multipliedBy(i));
            table.put(start, WindowAggregate.of(1, start, start.plus(window), 10 + i, 5));
            assertThat(printer.poll()).isEqualTo(1);
        }
        Instant newest = demoStart.plus(window.multipliedBy(windows - 1));
        assertThat(printer.windows()).isEqualTo(windows);
        assertThat(out.toString().lines()).hasSize(windows).noneMatch(l -> l.contains("updated"));
        // the last read started 10 minutes before the newest window the poll before it had seen, not at the demo's
        // start: 22 windows read, not 60
        assertThat(readsFrom.get(readsFrom.size() - 1)).isEqualTo(newest.minus(window).minus(WindowPrinter.SETTLING));

        // a window inside the horizon that changes (another shard's part) is printed again, marked
        Instant recent = newest.minus(Duration.ofMinutes(5));
        table.put(recent, WindowAggregate.of(1, recent, recent.plus(window), 99, 9));
        assertThat(printer.poll()).isEqualTo(1);
        assertThat(out.toString().lines().toList()).last().asString().startsWith(WindowPrinter.TIME.format(recent))
                .endsWith("(updated: another shard's part)");
        assertThat(printer.windows()).isEqualTo(windows);
    }
}
