package dev.kinesisaggs.app.dashboard;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the dashboard listens and how much it reads.
 *
 * @param bindAddress      where to listen; the loopback address unless the user asks otherwise
 * @param port             the port, 0 for any free one
 * @param recentWindows    how many of the newest windows the page shows (keeps each poll small)
 * @param vendors          vendors to read with a Query each; empty: discover them with a bounded Scan
 * @param maxItemsRead     the most items one Scan of a poll may read (aggregates without vendors, rejects)
 * @param chartJs          chart.js's UMD build (node_modules/chart.js/dist/chart.umd.js as installed by
 *                         local-aws); absent: the page shows the numbers as tables and says the chart is missing
 */
public record DashboardOptions(
        InetAddress bindAddress,
        int port,
        int recentWindows,
        Set<Long> vendors,
        int maxItemsRead,
        Optional<Path> chartJs) {

    public static final int DEFAULT_PORT = 8642;
    public static final int DEFAULT_RECENT_WINDOWS = 40;
    public static final int DEFAULT_MAX_ITEMS_READ = 20_000;

    public DashboardOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(chartJs, "chartJs");
        vendors = Set.copyOf(vendors);
        requireValidPort(port);
        if (recentWindows < 1) {
            throw new IllegalArgumentException("The dashboard shows at least 1 window, not " + recentWindows + ".");
        }
        if (maxItemsRead < 1) {
            throw new IllegalArgumentException("maxItemsRead must be positive, not " + maxItemsRead);
        }
    }

    /** The port, if a server can listen on it (0: any free one); for commands that check it before starting anything. */
    public static int requireValidPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("The dashboard port must be between 0 and 65535, not " + port + ".");
        }
        return port;
    }

    /** Loopback, the default port, the default bounds, vendors discovered, chart.js at the given path. */
    public static DashboardOptions onLoopback(int port, Optional<Path> chartJs) {
        return new DashboardOptions(InetAddress.getLoopbackAddress(), port, DEFAULT_RECENT_WINDOWS, Set.of(),
                DEFAULT_MAX_ITEMS_READ, chartJs);
    }
}
