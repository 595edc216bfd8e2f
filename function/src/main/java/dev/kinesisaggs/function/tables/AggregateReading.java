package dev.kinesisaggs.function.tables;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which parts count: from the markers of some windows (parts' and runs' openings), per shard the complete runs to count (see
 * {@link AggregateItems}). A run is complete when the marker of its last part ({@code endsRun}, with the number of
 * parts) and the markers of all its parts are there.
 *
 * <p>A complete run holds the shard's records from its first record to its last, each once, less any batch whose
 * retries were given up; its markers say where it began ({@code runStart}), the last record each part covered and how
 * many Kinesis records it covered. Runs whose record ranges overlap hold the same records, more or fewer of them: a
 * window delivered again (a replay, a retry after a failure, a restart from the stream's start, a redrive), or
 * delivered under another window length (a mapping whose {@code TumblingWindowInSeconds} changed, a redrive given
 * another {@code --window}). Runs whose ranges do not overlap hold different records, even under the same window
 * start: a window of 10 s closed, then the mapping went on with windows of 20 s from where it was, so that
 * {@code [20 s, 30 s)} and {@code [20 s, 40 s)} each hold records the other does not. So of each shard's complete
 * runs, the set of runs with pairwise disjoint ranges that covers the most records is counted (weighted interval
 * scheduling): every record in the table is then counted once, and none that a run holds is dropped for another's.
 * This needs no assumption on what AWS does when a window's length changes, which it does not document. Sets that
 * cover as many hold the same records and the same sums; the order below (last record, first record, window, run
 * id) picks one, so that every reader counts the same runs. Runs that are not complete are left out, and their windows
 * reported as incomplete: every run writes its opening when it begins, so a run whose final invoke was given up shows
 * even when it wrote no part (the usual run, of one part, writes its part at the final invoke), until a counted run
 * holds the records it read (its retry, or a redrive of the window).
 */
public final class AggregateReading {

    /**
     * @param countedParts      the sort keys of the parts to count
     * @param completeShards    per window start, the shards with a counted run
     * @param incompleteShards  per window start, the shards whose run began but none is complete (in progress, or given
     *                          up)
     * @param rejected          per window start, the user records the counted runs left out (unclean, duplicate,
     *                          refused), as their last parts' markers say
     */
    public record Choice(Set<String> countedParts, Map<String, Set<String>> completeShards, Map<String, Set<String>> incompleteShards,
                         Map<String, Long> rejected) {

        public boolean counts(AggregateItems.Decoded item) {
            return item.legacy() || countedParts.contains(item.sortKey());
        }
    }

    /** A run of a shard's window, with the range of records it covered. */
    private record Run(String window, String windowEnd, String id, List<AggregateItems.Decoded> markers, BigInteger first,
                       BigInteger last, long records) {

        static final Comparator<Run> BY_LAST_RECORD = Comparator.comparing(Run::last).thenComparing(Run::first)
                .thenComparing(Run::window).thenComparing(Run::windowEnd).thenComparing(Run::id);

        static Run of(List<AggregateItems.Decoded> markers) {
            AggregateItems.Decoded any = markers.get(0);
            BigInteger first = AggregateReading.start(markers);
            BigInteger last = markers.stream().map(AggregateItems.Decoded::last).flatMap(Optional::stream)
                    .max(Comparator.naturalOrder()).orElse(first);
            return new Run(any.windowStart(), any.windowEnd(), any.run(), markers, first, last.max(first), AggregateReading.records(markers));
        }

        boolean holds(BigInteger record) {
            return first.compareTo(record) <= 0 && record.compareTo(last) <= 0;
        }
    }

    private AggregateReading() {
    }

    public static Choice choose(List<AggregateItems.Decoded> markers) {
        // per shard, per run (a run id names one run of one window)
        Map<String, Map<List<String>, List<AggregateItems.Decoded>>> byShardRun = new TreeMap<>();
        for (AggregateItems.Decoded m : markers) {
            if (m.ofRun()) {
                byShardRun.computeIfAbsent(m.shardId(), s -> new HashMap<>())
                        .computeIfAbsent(List.of(m.windowStart(), m.windowEnd(), m.run()), r -> new ArrayList<>()).add(m);
            }
        }
        Set<String> counted = new HashSet<>();
        Map<String, Set<String>> complete = new TreeMap<>();
        Map<String, Set<String>> incomplete = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        byShardRun.forEach((shard, runs) -> {
            List<Run> whole = withSizes(runs.values().stream().filter(AggregateReading::isComplete).map(Run::of).toList())
                    .stream().sorted(Run.BY_LAST_RECORD).toList();
            List<Run> chosen = mostRecords(whole);
            for (Run run : chosen) {
                run.markers().forEach(m -> counted.add(m.sortKey()));
                run.markers().stream().filter(AggregateItems.Decoded::endsRun)
                        .forEach(m -> rejected.merge(run.window(), m.runRejected(), Long::sum));
                complete.computeIfAbsent(run.window(), w -> new TreeSet<>()).add(shard);
            }
            // a run that is not complete makes its window incomplete, unless a counted run holds the records it is known
            // to have read (from its first to the last its parts covered): a retry or a replay of it, or a redrive of the
            // window, under any window length. A whole run of the same window does not hide it by itself: a run that
            // began after a lost first batch, or went on after an early termination, holds other records.
            runs.values().stream().filter(ofRun -> !isComplete(ofRun)).map(Run::of)
                    .filter(run -> chosen.stream().noneMatch(c -> c.holds(run.first()) && c.holds(run.last())))
                    .forEach(run -> incomplete.computeIfAbsent(run.window(), w -> new TreeSet<>()).add(shard));
        });
        return new Choice(counted, complete, incomplete, rejected);
    }

    /**
     * The runs, each with a size to weigh: a run written before runs counted their records (its marker has none) is
     * one of its window's runs that hold the same records, as that version read them: of those of one window, the one
     * that starts at the earliest record, then the smallest id, weighs 1 and the others are left out.
     */
    private static List<Run> withSizes(List<Run> runs) {
        List<Run> out = new ArrayList<>();
        Map<List<String>, Run> unsized = new HashMap<>(); // by window; the caller orders the runs
        for (Run run : runs) {
            if (run.records() > 0) {
                out.add(run);
            } else {
                unsized.merge(List.of(run.window(), run.windowEnd()), run, (a, b) -> Comparator.comparing(Run::first)
                        .thenComparing(Run::id).compare(a, b) <= 0 ? a : b);
            }
        }
        unsized.values().forEach(run -> out.add(new Run(run.window(), run.windowEnd(), run.id(), run.markers(), run.first(),
                run.last(), 1)));
        return out;
    }

    /**
     * Of runs in {@link Run#BY_LAST_RECORD} order, the set with pairwise disjoint record ranges that covers the most
     * records; on a tie the set without the later run in that order.
     */
    private static List<Run> mostRecords(List<Run> runs) {
        int n = runs.size();
        long[] best = new long[n + 1]; // best[k]: the most records of the first k runs
        int[] before = new int[n]; // before[i]: how many runs end before run i begins (a prefix, in this order)
        boolean[] taken = new boolean[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            while (k > 0 && runs.get(k - 1).last().compareTo(runs.get(i).first()) >= 0) {
                k--;
            }
            before[i] = k;
            long with = runs.get(i).records() + best[k];
            taken[i] = with > best[i];
            best[i + 1] = taken[i] ? with : best[i];
        }
        List<Run> chosen = new ArrayList<>();
        for (int k = n; k > 0; ) {
            if (taken[k - 1]) {
                chosen.add(runs.get(k - 1));
                k = before[k - 1];
            } else {
                k--;
            }
        }
        return chosen;
    }

    /** The Kinesis records a complete run covered, as its last part's marker says. */
    private static long records(List<AggregateItems.Decoded> markers) {
        return markers.stream().filter(AggregateItems.Decoded::endsRun).mapToLong(AggregateItems.Decoded::runRecords).max().orElse(0);
    }

    private static boolean isComplete(List<AggregateItems.Decoded> markers) {
        Optional<AggregateItems.Decoded> last = markers.stream().filter(AggregateItems.Decoded::endsRun).findFirst();
        if (last.isEmpty()) {
            return false;
        }
        Set<Integer> indexes = new HashSet<>();
        markers.forEach(m -> indexes.add(m.part()));
        for (int i = 0; i < last.get().parts(); i++) {
            if (!indexes.contains(i)) {
                return false;
            }
        }
        return true;
    }

    private static BigInteger start(List<AggregateItems.Decoded> markers) {
        return markers.stream().map(AggregateItems.Decoded::runStart).flatMap(Optional::stream).findFirst().orElse(BigInteger.ZERO);
    }

    /** Sums of the counted items, by window start and vendor (markers and uncounted parts left out). */
    public static Map<String, Map<Long, List<AggregateItems.Decoded>>> counted(List<AggregateItems.Decoded> items, Choice choice) {
        Map<String, Map<Long, List<AggregateItems.Decoded>>> out = new HashMap<>();
        for (AggregateItems.Decoded d : items) {
            if (d.vendorId() >= 1 && choice.counts(d)) {
                out.computeIfAbsent(d.windowStart(), w -> new HashMap<>()).computeIfAbsent(d.vendorId(), v -> new ArrayList<>()).add(d);
            }
        }
        return out;
    }
}
