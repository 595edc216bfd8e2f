package dev.kinesisaggs.function.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowTotals;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which run of a shard's window counts, from the markers alone. */
class AggregateReadingTest {

    private static final AggregateItems.PartPlace PLACE =
            new AggregateItems.PartPlace("2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z", "shardId-000000000000");
    private static final WindowTotals ONE = new WindowTotals(Map.of(1, new VendorTotals(1, 1, 0, 0)));

    /**
     * The markers of a run of {@code parts} parts starting at the record {@code start} and covering {@code records}
     * records (numbered on from {@code start}, as a shard's sequence numbers are ordered), after its opening; complete
     * or not.
     */
    private static List<AggregateItems.Decoded> run(String id, String start, long records, int parts, boolean complete) {
        return run(PLACE, id, start, records, 0, parts, complete);
    }

    private static List<AggregateItems.Decoded> run(AggregateItems.PartPlace place, String id, String start, long records,
                                                    long rejected, int parts, boolean complete) {
        List<AggregateItems.Decoded> markers = new ArrayList<>(opening(place, id, start));
        String lastRecord = new BigInteger(start).add(BigInteger.valueOf(records - 1)).toString();
        for (int i = 0; i < parts; i++) {
            boolean last = i == parts - 1;
            if (last && !complete) {
                break;
            }
            markers.add(AggregateItems.decode(AggregateItems.marker(place,
                    new ClosedPart(id, start, records, rejected, i, i == 0 ? start : lastRecord, lastRecord, last, ONE))));
        }
        return markers;
    }

    /** What a run that began and wrote no part leaves: its opening. */
    private static List<AggregateItems.Decoded> opening(AggregateItems.PartPlace place, String id, String start) {
        return List.of(AggregateItems.decode(AggregateItems.opening(place, id, start)));
    }

    private static Set<String> countedRuns(List<AggregateItems.Decoded> markers) {
        AggregateReading.Choice choice = AggregateReading.choose(markers);
        Set<String> runs = new java.util.TreeSet<>();
        markers.stream().filter(choice::counts).forEach(m -> runs.add(m.run()));
        return runs;
    }

    @Test
    void theRunThatCoveredTheMostRecordsCountsEvenWhenItStartedLater() {
        // "original" lost a batch of 10 records (its retries given up); "redrive" read the whole window again
        List<AggregateItems.Decoded> markers = new ArrayList<>(run("original", "100", 90, 2, true));
        markers.addAll(run("redrive", "100", 100, 1, true));
        markers.addAll(run("late-start", "150", 50, 1, true));

        assertThat(countedRuns(markers)).containsExactly("redrive");
    }

    @Test
    void runsOfAsManyRecordsAreTheSameRecordsAndTheEarliestStartThenTheSmallestIdIsTaken() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(run("b", "100", 100, 1, true));
        markers.addAll(run("a", "100", 100, 3, true));
        markers.addAll(run("c", "99", 100, 1, true));

        assertThat(countedRuns(markers)).containsExactly("c");
        assertThat(countedRuns(markers.subList(0, 6))).as("b's and a's openings and markers").containsExactly("a");
    }

    @Test
    void aRunWithoutItsLastPartOrWithAMissingPartNeverCounts() {
        List<AggregateItems.Decoded> gap = new ArrayList<>(run("gap", "1", 500, 3, true));
        gap.remove(2); // its part 1, after its opening and part 0
        List<AggregateItems.Decoded> markers = new ArrayList<>(gap);
        markers.addAll(run("unfinished", "1", 400, 2, false));
        markers.addAll(run("whole", "1", 300, 1, true));

        assertThat(countedRuns(markers)).containsExactly("whole");
        assertThat(AggregateReading.choose(markers.subList(0, 3)).incompleteShards()).containsOnlyKeys(PLACE.windowStart());
    }

    @Test
    void aWindowsRejectedCountIsThatOfTheCountedRunOfEachShardSummedOverShards() {
        AggregateItems.PartPlace otherShard = new AggregateItems.PartPlace(PLACE.windowStart(), PLACE.windowEnd(), "shardId-000000000001");
        List<AggregateItems.Decoded> markers = new ArrayList<>(run(PLACE, "lost-a-batch", "100", 90, 7, 2, true));
        markers.addAll(run(PLACE, "redrive", "100", 100, 9, 1, true));
        markers.addAll(run(PLACE, "unfinished", "100", 200, 50, 2, false));
        markers.addAll(run(otherShard, "other", "5", 10, 4, 1, true));

        assertThat(AggregateReading.choose(markers).rejected()).isEqualTo(Map.of(PLACE.windowStart(), 13L));
    }

    /** A shard's window of {@code seconds} starting {@code offset} seconds after 07:04:00. */
    private static AggregateItems.PartPlace window(int offset, int seconds) {
        java.time.Instant t = java.time.Instant.parse("2020-12-09T07:04:00Z").plusSeconds(offset);
        return new AggregateItems.PartPlace(t.toString(), t.plusSeconds(seconds).toString(), PLACE.shardId());
    }

    /**
     * Found by probing: a mapping stopped in its 10 s window [30 s, 40 s) and started again with windows of 20 s went on
     * from its checkpoint in [20 s, 40 s). The two runs under the start 20 s hold different records: both count.
     */
    @Test
    void runsOfOneWindowStartWithRecordsTheOtherDoesNotHaveBothCount() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(run(window(20, 10), "ten", "100", 50, 0, 1, true));
        markers.addAll(run(window(20, 20), "twenty", "150", 50, 0, 2, true));

        assertThat(countedRuns(markers)).containsExactly("ten", "twenty");
        assertThat(AggregateReading.choose(markers).incompleteShards()).isEmpty();
    }

    /**
     * Found by probing: a redrive given a longer window than the mapping's reads the records of three of the mapping's
     * windows again as one run. The records count once: in the run that holds them all, instead of the three that each
     * lost a batch.
     */
    @Test
    void aRunThatHoldsTheRecordsOfSeveralShorterWindowsCountsInsteadOfThemWhenItHoldsMore() {
        List<AggregateItems.Decoded> mapping = new ArrayList<>(run(window(30, 10), "a", "100", 20, 0, 1, true));
        mapping.addAll(run(window(40, 10), "b", "130", 30, 0, 1, true));
        mapping.addAll(run(window(50, 10), "c", "160", 25, 0, 1, true));
        List<AggregateItems.Decoded> withRedrive = new ArrayList<>(mapping);
        withRedrive.addAll(run(window(30, 30), "redrive", "100", 90, 0, 1, true));

        assertThat(countedRuns(mapping)).containsExactly("a", "b", "c");
        assertThat(countedRuns(withRedrive)).containsExactly("redrive");
        assertThat(AggregateReading.choose(withRedrive).incompleteShards()).as("its records are counted, in the redrive's window")
                .isEmpty();
    }

    @Test
    void windowsOfDifferentLengthsOverTheSameRecordsCountThemOnceWhicheverOrderTheyAreReadIn() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(run(window(0, 10), "x", "100", 30, 0, 1, true));
        markers.addAll(run(window(10, 10), "y", "130", 30, 0, 1, true));
        markers.addAll(run(window(0, 20), "xy", "100", 60, 0, 1, true));
        List<AggregateItems.Decoded> reversed = new ArrayList<>(markers);
        java.util.Collections.reverse(reversed);

        assertThat(countedRuns(markers)).isIn(Set.of("x", "y"), Set.of("xy")).isEqualTo(countedRuns(reversed));
    }

    /**
     * Found by a probe: the usual run, of one part, writes its part at the final invoke; given up, it left nothing, and
     * its window showed the other shard's sums as if whole. Its opening makes the window incomplete until a whole run
     * of it is there.
     */
    @Test
    void aRunOfOnePartWhoseFinalInvokeWasGivenUpMakesItsWindowIncompleteByItsOpeningAlone() {
        AggregateItems.PartPlace otherShard = new AggregateItems.PartPlace(PLACE.windowStart(), PLACE.windowEnd(), "shardId-000000000001");
        List<AggregateItems.Decoded> markers = new ArrayList<>(opening(PLACE, "given-up", "100"));
        markers.addAll(run(otherShard, "whole", "5", 10, 0, 1, true));

        AggregateReading.Choice choice = AggregateReading.choose(markers);
        assertThat(countedRuns(markers)).containsExactly("whole");
        assertThat(choice.incompleteShards()).isEqualTo(Map.of(PLACE.windowStart(), Set.of(PLACE.shardId())));
        assertThat(choice.completeShards()).isEqualTo(Map.of(PLACE.windowStart(), Set.of(otherShard.shardId())));

        markers.addAll(run("retried", "100", 40, 1, true));
        assertThat(countedRuns(markers)).containsExactly("retried", "whole");
        assertThat(AggregateReading.choose(markers).incompleteShards()).as("a whole run of the window replaces it").isEmpty();
    }

    /** A given-up window delivered again under a longer window (redrive's --window) is counted there, not incomplete. */
    @Test
    void aGivenUpRunWhoseFirstRecordACountedRunHoldsIsNotIncomplete() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(run(window(20, 10), "before", "40", 60, 0, 1, true));
        markers.addAll(opening(window(30, 10), "given-up", "100"));
        assertThat(AggregateReading.choose(markers).incompleteShards()).containsOnlyKeys(window(30, 10).windowStart());

        markers.addAll(run(window(30, 30), "redrive", "100", 90, 0, 1, true));
        assertThat(countedRuns(markers)).containsExactly("before", "redrive");
        assertThat(AggregateReading.choose(markers).incompleteShards()).isEmpty();
    }

    /** A run whose final invoke was given up is reported, even when a whole run of another length shares its start. */
    @Test
    void anUnfinishedRunIsIncompleteBesideAWholeOneOfAnotherLengthUnderItsStart() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(run(window(20, 10), "ten", "100", 50, 0, 1, true));
        markers.addAll(run(window(20, 20), "twenty", "150", 50, 0, 2, false));

        assertThat(countedRuns(markers)).containsExactly("ten");
        assertThat(AggregateReading.choose(markers).incompleteShards()).containsOnlyKeys(window(20, 10).windowStart());
    }

    /** Markers written before runs counted their records (none recorded) still count: one run a window, as they were read. */
    @Test
    void runsWithoutARecordCountAreReadAsBeforeOneAWindow() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(withoutOpening(run("old-b", "100", 0, 1, true)));
        markers.addAll(withoutOpening(run("old-a", "100", 0, 2, true)));
        markers.addAll(withoutOpening(run(window(30, 30), "next", "200", 0, 0, 1, true)));

        assertThat(countedRuns(markers)).containsExactly("next", "old-a");
        markers.addAll(withoutOpening(run("old-c", "99", 0, 1, true)));
        assertThat(countedRuns(markers)).containsExactly("next", "old-c");
    }

    /** Runs written before runs had openings: an unfinished one is reported by its part, and a whole one counts. */
    @Test
    void runsWithoutAnOpeningAreReadAsBefore() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(withoutOpening(run("whole", "100", 50, 1, true)));
        markers.addAll(withoutOpening(run(window(30, 30), "unfinished", "150", 40, 0, 2, false)));

        assertThat(countedRuns(markers)).containsExactly("whole");
        assertThat(AggregateReading.choose(markers).incompleteShards()).containsOnlyKeys(window(30, 30).windowStart());
    }

    /**
     * A window's first batch given up, the mapping going on with an empty state: the run that begins after it is whole,
     * but the records the first run read are in no counted run. Its opening says so until a redrive holds them.
     */
    @Test
    void aRunThatBeganAfterALostFirstBatchDoesNotHideTheRunThatLostIt() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(opening(PLACE, "lost-its-first-batch", "100"));
        markers.addAll(run("after-it", "150", 50, 1, true));
        assertThat(countedRuns(markers)).containsExactly("after-it");
        assertThat(AggregateReading.choose(markers).incompleteShards()).containsOnlyKeys(PLACE.windowStart());

        markers.addAll(run("redrive", "100", 100, 1, true));
        assertThat(countedRuns(markers)).containsExactly("redrive");
        assertThat(AggregateReading.choose(markers).incompleteShards()).isEmpty();
    }

    /** An early termination: the window goes on in a run of its own, whose final invoke, given up, is reported. */
    @Test
    void theContinuationOfAnEarlyTerminatedWindowIsReportedWhenItsFinalInvokeIsGivenUp() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(run("terminated-early", "100", 50, 1, true));
        markers.addAll(opening(PLACE, "continuation", "150"));

        assertThat(countedRuns(markers)).containsExactly("terminated-early");
        assertThat(AggregateReading.choose(markers).incompleteShards()).containsOnlyKeys(PLACE.windowStart());
    }

    /** A counted run that holds where an unfinished run began, but not all it read, does not hide it. */
    @Test
    void anUnfinishedRunThatReadPastTheCountedRunThatHoldsItsStartIsReported() {
        List<AggregateItems.Decoded> markers = new ArrayList<>(run(window(20, 10), "ten", "100", 50, 0, 1, true));
        markers.addAll(run(window(20, 20), "twenty", "100", 101, 0, 2, false)); // its part 0 covered 100..200

        assertThat(countedRuns(markers)).containsExactly("ten");
        assertThat(AggregateReading.choose(markers).incompleteShards()).containsOnlyKeys(window(20, 20).windowStart());
    }

    private static List<AggregateItems.Decoded> withoutOpening(List<AggregateItems.Decoded> markers) {
        return markers.stream().filter(m -> !m.opening()).toList();
    }
}
