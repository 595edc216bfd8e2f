package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.TimeRange;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Prints the windows of the aggregates table as they land: one line per window with each vendor's
 * passengers and trips, and the user records the window left out (unclean, duplicate, refused: they are in the
 * quarantine table). A window is printed when it first appears and again, marked, when a later part (another
 * shard's share of the same window) changes it.
 *
 * <p>It reads every second for as long as the demo runs (hours, perhaps), so it reads only the windows that can still
 * change: from {@link #SETTLING} behind the newest window it has seen, and it forgets the older ones. Reading from the
 * demo's start would cost the emulator more each second (after an hour at 1,000 trips/s, dynalite spent a full core).
 */
public final class WindowPrinter {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * How long after the newest window a window can still change: another shard's part of it lands when that shard's
     * invocations reach it, seconds apart in a demo, minutes when a shard retries through an outage.
     */
    static final Duration SETTLING = Duration.ofMinutes(10);

    private final Function<Instant, AggregatesQuery.Result> reader;
    private final PrintWriter out;
    private final Map<Key, WindowAggregate> seen = new HashMap<>();
    private final Map<Instant, Long> rejectedSeen = new HashMap<>();
    private final Set<Instant> printedWindows = new HashSet<>();
    private Instant from;
    /** What the last read found unfinished: windows shown with some shards' sums only, windows begun and not shown. */
    private Set<Instant> partial = Set.of();
    private Set<Instant> begun = Set.of();
    private int windowsPrinted;
    private int linesPrinted;

    private record Key(long vendorId, Instant windowStart) {
    }

    /** Watches the windows starting at or after {@code since}. */
    public WindowPrinter(AggregatesQuery query, Instant since, PrintWriter out) {
        this(from -> query.read(TimeRange.since(from), Set.of(), Integer.MAX_VALUE), since, out);
    }

    /** @param reader the windows starting at or after the given instant */
    WindowPrinter(Function<Instant, AggregatesQuery.Result> reader, Instant since, PrintWriter out) {
        this.reader = reader;
        this.from = since;
        this.out = out;
    }

    /** The header line of the table that {@link #poll()} continues. */
    public static String header() {
        return "window (UTC)         per vendor: passengers / trips; records rejected (kept in the quarantine table)";
    }

    /** Reads the table once and prints the windows that are new or changed; returns how many lines it printed. */
    public int poll() {
        AggregatesQuery.Result read = reader.apply(from);
        partial = read.partialWindows();
        begun = read.begunWindows();
        TreeMap<Instant, List<WindowAggregate>> byWindow = new TreeMap<>();
        Set<Instant> changed = new HashSet<>();
        read.rejected().forEach((window, n) -> {
            if (!n.equals(rejectedSeen.put(window, n))) {
                changed.add(window);
            }
        });
        for (WindowAggregate a : read.windows()) {
            byWindow.computeIfAbsent(a.windowStart(), w -> new ArrayList<>()).add(a);
            WindowAggregate before = seen.put(new Key(a.vendorId(), a.windowStart()), a);
            if (before == null || before.passengers() != a.passengers() || before.trips() != a.trips()) {
                changed.add(a.windowStart());
            }
        }
        int printed = 0;
        for (Map.Entry<Instant, List<WindowAggregate>> window : byWindow.entrySet()) {
            if (changed.contains(window.getKey())) {
                boolean update = !printedWindows.add(window.getKey());
                windowsPrinted += update ? 0 : 1;
                out.println(line(window.getValue(), read.rejected().getOrDefault(window.getKey(), 0L), update));
                printed++;
            }
        }
        out.flush();
        linesPrinted += printed;
        if (!byWindow.isEmpty()) {
            settle(byWindow.lastKey().minus(SETTLING));
        }
        return printed;
    }

    /** Reads from {@code horizon} on, and forgets what came before it. */
    private void settle(Instant horizon) {
        if (horizon.isAfter(from)) {
            from = horizon;
            seen.keySet().removeIf(key -> key.windowStart().isBefore(horizon));
            rejectedSeen.keySet().removeIf(window -> window.isBefore(horizon));
            printedWindows.removeIf(window -> window.isBefore(horizon));
        }
    }

    /** Windows printed so far. */
    public int windows() {
        return windowsPrinted;
    }

    /**
     * What the last read left unfinished, for the demo's last words: a demo stops with its newest window open, and its
     * trips are then in no printed line (found by a newcomer's probe: the printed windows added up to less than sent).
     */
    public Optional<String> unfinished() {
        List<String> parts = new ArrayList<>();
        if (!begun.isEmpty()) {
            parts.add("not printed: " + starts(begun));
        }
        if (!partial.isEmpty()) {
            parts.add("printed with some shards' sums only: " + starts(partial));
        }
        return parts.isEmpty() ? Optional.empty()
                : Optional.of("Still open at the last read (final invokes to come, or given up): " + String.join("; ", parts) + ".");
    }

    private static String starts(Set<Instant> windows) {
        return String.join(", ", windows.stream().sorted().map(TIME::format).toList());
    }

    public int linesPrinted() {
        return linesPrinted;
    }

    /** E.g. {@code 12:31:00-12:31:30  vendor 1: 212 / 151  vendor 2: 301 / 180  total: 513 / 331   rejected: 4}. */
    static String line(List<WindowAggregate> vendors, long rejected, boolean update) {
        WindowAggregate first = vendors.get(0);
        StringBuilder line = new StringBuilder(TIME.format(first.windowStart()) + "-" + TIME.format(first.windowEnd()) + "  ");
        long passengers = 0;
        long trips = 0;
        for (WindowAggregate v : vendors) {
            line.append(String.format("  vendor %d: %,5d / %,5d", v.vendorId(), v.passengers(), v.trips()));
            passengers += v.passengers();
            trips += v.trips();
        }
        line.append(String.format("   total: %,6d / %,6d   rejected: %,d", passengers, trips, rejected));
        if (update) {
            line.append("  (updated: another shard's part)");
        }
        return line.toString();
    }
}
