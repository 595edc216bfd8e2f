package dev.kinesisaggs.function.storage;

import java.util.List;
import java.util.Objects;

/**
 * What one shard folded of one window, ready to be added to the window's items.
 *
 * @param windowStart the event's {@code window.start}, as given (e.g. {@code 2020-12-09T07:04:00Z})
 * @param windowEnd   the event's {@code window.end}
 * @param partId      names this part for idempotency: shard id + first folded sequence number
 * @param vendors     the sums per vendor
 */
public record WindowPart(String windowStart, String windowEnd, String partId, List<VendorSums> vendors) {
    public WindowPart {
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        Objects.requireNonNull(partId, "partId");
        vendors = List.copyOf(vendors);
    }
}
