package dev.kinesisaggs.app.soak;

import dev.kinesisaggs.localaws.ResidentMemory;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The demo's memory over time, for soak runs: every so often one line with the time since the start, the trips
 * sent, the resident memory of each process the demo runs (all of it, and in brackets its anonymous part) and,
 * when the emulators keep their data on disk, its size, and how many times an emulator was started again past its
 * memory bound. An anonymous figure that keeps rising with the trips sent is
 * a process holding the run's data in memory.
 */
public final class MemoryReport {
    private static final long MB = 1024 * 1024;

    private final Duration every;
    private final Instant started;
    private final DemoProcesses processes;
    private final Supplier<OptionalLong> bytesOnDisk;
    private final Supplier<Map<String, Integer>> restarts;
    private final PrintWriter out;
    private Instant next;

    public MemoryReport(Duration every, Instant started, DemoProcesses processes, Supplier<OptionalLong> bytesOnDisk,
            Supplier<Map<String, Integer>> restarts, PrintWriter out) {
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("the memory report's interval must be positive, not " + every);
        }
        this.every = every;
        this.started = started;
        this.processes = processes;
        this.bytesOnDisk = bytesOnDisk;
        this.restarts = restarts;
        this.out = out;
        this.next = started;
    }

    /** Prints a line when one is due (the first one at once, at the start). */
    public void printIfDue(Instant now, long tripsSent) {
        if (now.isBefore(next)) {
            return;
        }
        out.println(line(now, tripsSent));
        out.flush();
        while (!next.isAfter(now)) {
            next = next.plus(every);
        }
    }

    /**
     * E.g. {@code [memory] 5:00, 15,000 trips sent; RSS (anonymous) MB: demo 301 (270), dynalite 95 (40), kinesalite 88 (35),
     * env1 160 (140); on disk 41 MB; restarted past the memory bound: dynalite 1}.
     */
    String line(Instant now, long tripsSent) {
        long seconds = Math.max(0, Duration.between(started, now).toSeconds());
        StringBuilder line = new StringBuilder(String.format("[memory] %d:%02d, %,d trips sent; RSS (anonymous) MB:", seconds / 60,
                seconds % 60, tripsSent));
        String separator = " ";
        for (DemoProcesses.Named p : processes.list()) {
            line.append(separator).append(p.name()).append(' ').append(ResidentMemory.of(p.process().pid())
                    .map(m -> m.total() / MB + " (" + m.anonymous() / MB + ")").orElse("?"));
            separator = ", ";
        }
        bytesOnDisk.get().ifPresent(bytes -> line.append("; on disk ").append(String.format("%,d", bytes / MB)).append(" MB"));
        Map<String, Integer> restarted = new TreeMap<>(restarts.get());
        if (!restarted.isEmpty()) {
            line.append("; restarted past the memory bound:");
            separator = " ";
            for (Map.Entry<String, Integer> emulator : restarted.entrySet()) {
                line.append(separator).append(emulator.getKey()).append(' ').append(emulator.getValue());
                separator = ", ";
            }
        }
        return line.toString();
    }
}
