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
 * Which parts count: from the part markers of some windows, per window and shard the one complete run to
 * count (see {@link AggregateItems}). A run is complete when the marker of its last part ({@code endsRun},
 * with the number of parts) and the markers of all its parts are there.
 *
 * <p>When a shard's window was delivered more than once (a replay, a retry after a failure, a restart from the
 * stream's start, a redrive), each complete run holds the shard's records of the window from where the run began,
 * each once, less any batch whose retries were given up. So the run that covered the most Kinesis records is
 * counted: it holds every other run's records. Runs that cover as many hold the same records and the same sums;
 * the one that starts at the earliest record, then the smallest id, is taken, so that every reader counts the same
 * run. Runs that are not complete are left out, and reported as such: a window whose final invoke was given up is
 * visibly incomplete, never half-counted.
 */
public final class AggregateReading {

    /**
     * @param countedParts      the sort keys of the parts to count
     * @param completeShards    per window start, the shards with a complete run
     * @param incompleteShards  per window start, the shards with parts but no complete run (in progress, or given up)
     * @param rejected          per window start, the user records the counted runs left out (unclean, duplicate,
     *                          refused), as their last parts' markers say
     */
    public record Choice(Set<String> countedParts, Map<String, Set<String>> completeShards, Map<String, Set<String>> incompleteShards,
                         Map<String, Long> rejected) {

        public boolean counts(AggregateItems.Decoded item) {
            return item.legacy() || countedParts.contains(item.sortKey());
        }
    }

    private AggregateReading() {
    }

    public static Choice choose(List<AggregateItems.Decoded> markers) {
        Map<String, Map<String, Map<String, List<AggregateItems.Decoded>>>> byWindowShardRun = new TreeMap<>();
        for (AggregateItems.Decoded m : markers) {
            if (m.marker()) {
                byWindowShardRun.computeIfAbsent(m.windowStart(), w -> new TreeMap<>())
                        .computeIfAbsent(m.shardId(), s -> new TreeMap<>())
                        .computeIfAbsent(m.run(), r -> new ArrayList<>()).add(m);
            }
        }
        Set<String> counted = new HashSet<>();
        Map<String, Set<String>> complete = new TreeMap<>();
        Map<String, Set<String>> incomplete = new TreeMap<>();
        Map<String, Long> rejected = new TreeMap<>();
        byWindowShardRun.forEach((window, shards) -> shards.forEach((shard, runs) -> {
            Optional<List<AggregateItems.Decoded>> chosen = runs.entrySet().stream()
                    .filter(run -> isComplete(run.getValue()))
                    .min(Comparator.<Map.Entry<String, List<AggregateItems.Decoded>>>comparingLong(run -> -records(run.getValue()))
                            .thenComparing(run -> start(run.getValue()))
                            .thenComparing(Map.Entry::getKey))
                    .map(Map.Entry::getValue);
            if (chosen.isPresent()) {
                chosen.get().forEach(m -> counted.add(m.sortKey()));
                chosen.get().stream().filter(AggregateItems.Decoded::endsRun)
                        .forEach(m -> rejected.merge(window, m.runRejected(), Long::sum));
                complete.computeIfAbsent(window, w -> new TreeSet<>()).add(shard);
            } else {
                incomplete.computeIfAbsent(window, w -> new TreeSet<>()).add(shard);
            }
        }));
        return new Choice(counted, complete, incomplete, rejected);
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
