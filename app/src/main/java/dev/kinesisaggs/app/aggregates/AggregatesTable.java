package dev.kinesisaggs.app.aggregates;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders windows as aligned text columns: text left-aligned, numbers right-aligned.
 * The distance and duration columns appear only when some window has them.
 */
final class AggregatesTable {

    private AggregatesTable() {
    }

    static String render(List<WindowAggregate> windows) {
        if (windows.isEmpty()) {
            return "No windows.\n";
        }
        boolean withDistance = windows.stream().anyMatch(w -> w.distance().isPresent());
        boolean withDuration = windows.stream().anyMatch(w -> w.duration().isPresent());

        List<String> header = new ArrayList<>(List.of("vendor", "window start", "window end", "passengers", "trips"));
        List<Boolean> numeric = new ArrayList<>(List.of(true, false, false, true, true));
        if (withDistance) {
            header.add("distance (miles)");
            numeric.add(true);
        }
        if (withDuration) {
            header.add("duration (s)");
            numeric.add(true);
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (WindowAggregate w : windows) {
            List<String> row = new ArrayList<>(List.of(
                    Long.toString(w.vendorId()), w.windowStart().toString(), w.windowEnd().toString(),
                    Long.toString(w.passengers()), Long.toString(w.trips())));
            if (withDistance) {
                row.add(plain(w.distance()));
            }
            if (withDuration) {
                row.add(plain(w.duration()));
            }
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = row.get(c);
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(numeric.get(c) ? pad + cell : cell + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String plain(Optional<BigDecimal> number) {
        return number.map(BigDecimal::toPlainString).orElse("");
    }
}
