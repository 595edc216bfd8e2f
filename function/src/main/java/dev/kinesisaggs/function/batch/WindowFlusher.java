package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowPartId;
import dev.kinesisaggs.core.window.WindowTotals;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.AggregatesWriter;
import dev.kinesisaggs.function.storage.VendorSums;
import dev.kinesisaggs.function.storage.WindowPart;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes a shard's finished part of a window (at the final invoke, or when the window was
 * terminated early) as one aggregate item per vendor. A part with nothing folded writes nothing.
 */
public final class WindowFlusher {

    private final AggregateSink sink;

    public WindowFlusher(AggregateSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public AggregatesWriter.Written flush(String windowStart, String windowEnd, Optional<WindowPartId> partId,
                                          WindowTotals totals, RetryBudget budget) {
        if (partId.isEmpty() || totals.isEmpty()) {
            return new AggregatesWriter.Written(0, 0, 0);
        }
        return sink.write(part(windowStart, windowEnd, partId.get(), totals), budget);
    }

    static WindowPart part(String windowStart, String windowEnd, WindowPartId partId, WindowTotals totals) {
        List<VendorSums> vendors = new ArrayList<>();
        for (Map.Entry<Integer, VendorTotals> e : totals.byVendor().entrySet()) {
            VendorTotals t = e.getValue();
            vendors.add(new VendorSums(e.getKey(), t.passengers(), t.trips(),
                    BigDecimal.valueOf(t.gcDistanceMicros(), 6).stripTrailingZeros(), t.tripDurationSeconds()));
        }
        return new WindowPart(windowStart, windowEnd, partId.toString(), vendors);
    }
}
