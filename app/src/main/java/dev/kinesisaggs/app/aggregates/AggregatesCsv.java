package dev.kinesisaggs.app.aggregates;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** Renders windows as CSV with a fixed header; an absent distance or duration is an empty field. */
final class AggregatesCsv {

    static final String HEADER = "vendorId,windowStart,windowEnd,passengers,trips,distance,duration";

    private AggregatesCsv() {
    }

    static String render(List<WindowAggregate> windows) {
        // every field is a number or an ISO instant, neither of which holds a comma, quote or line break,
        // so no field needs quoting
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (WindowAggregate w : windows) {
            out.append(w.vendorId()).append(',')
                    .append(w.windowStart()).append(',')
                    .append(w.windowEnd()).append(',')
                    .append(w.passengers()).append(',')
                    .append(w.trips()).append(',')
                    .append(plain(w.distance())).append(',')
                    .append(plain(w.duration())).append("\r\n");
        }
        return out.toString();
    }

    private static String plain(Optional<BigDecimal> number) {
        return number.map(BigDecimal::toPlainString).orElse("");
    }
}
