package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.TimeRange;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Prints the windows of the aggregates table as they land: one line per window with each vendor's
 * passengers and trips, and the user records the window left out (unclean, duplicate, refused: they are in the
 * quarantine table). A window is printed when it first appears and again, marked, when a later part (another
 * shard's share of the same window) changes it.
 */
public final class WindowPrinter {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final AggregatesQuery query;
    private final Instant since;
    private final PrintWriter out;
    private final Map<Key, WindowAggregate> seen = new HashMap<>();
    private final Map<Instant, Long> rejectedSeen = new HashMap<>();
    private final Set<Instant> printedWindows = new HashSet<>();
    private int linesPrinted;

    private record Key(long vendorId, Instant windowStart) {
    }

    /** Watches the windows starting at or after {@code since}. */
    public WindowPrinter(AggregatesQuery query, Instant since, PrintWriter out) {
        this.query = query;
        this.since = since;
        this.out = out;
    }

    /** The header line of the table that {@link #poll()} continues. */
    public static String header() {
        return "window (UTC)         per vendor: passengers / trips; records rejected (kept in the quarantine table)";
    }

    /** Reads the table once and prints the windows that are new or changed; returns how many lines it printed. */
    public int poll() {
        AggregatesQuery.Result read = query.read(TimeRange.since(since), Set.of(), Integer.MAX_VALUE);
        Map<Instant, List<WindowAggregate>> byWindow = new TreeMap<>();
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
                out.println(line(window.getValue(), read.rejected().getOrDefault(window.getKey(), 0L), update));
                printed++;
            }
        }
        out.flush();
        linesPrinted += printed;
        return printed;
    }

    /** Windows seen so far. */
    public int windows() {
        return printedWindows.size();
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
