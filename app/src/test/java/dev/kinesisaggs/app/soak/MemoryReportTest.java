package dev.kinesisaggs.app.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemoryReportTest {
    private static final Instant START = Instant.parse("2026-12-03T08:00:00Z");

    @Test
    void printsALineAtTheStartThenOncePerInterval() {
        StringWriter out = new StringWriter();
        AtomicReference<Map<String, Integer>> restarts = new AtomicReference<>(Map.of());
        MemoryReport report = new MemoryReport(Duration.ofMinutes(1), START, new DemoProcesses(ProcessHandle.current()),
                () -> OptionalLong.of(42L * 1024 * 1024), restarts::get, new PrintWriter(out));

        report.printIfDue(START, 0);
        report.printIfDue(START.plusSeconds(59), 2_950);
        restarts.set(Map.of("kinesalite", 1, "dynalite", 2));
        report.printIfDue(START.plusSeconds(61), 3_050);
        report.printIfDue(START.plusSeconds(200), 10_000);

        assertThat(out.toString().lines()).hasSize(3).satisfiesExactly(
                l -> assertThat(l).startsWith("[memory] 0:00, 0 trips sent; RSS (anonymous) MB: demo ").endsWith("; on disk 42 MB"),
                l -> assertThat(l).startsWith("[memory] 1:01, 3,050 trips sent; RSS (anonymous) MB: demo ")
                        .endsWith("; on disk 42 MB; restarted past the memory bound: dynalite 2, kinesalite 1"),
                l -> assertThat(l).startsWith("[memory] 3:20, 10,000 trips sent; RSS (anonymous) MB: demo "));
    }
}
