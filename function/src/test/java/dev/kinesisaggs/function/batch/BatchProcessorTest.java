package dev.kinesisaggs.function.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowTotals;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.PartWriter;
import dev.kinesisaggs.function.storage.RejectsWriter;
import dev.kinesisaggs.function.storage.StorageException;
import dev.kinesisaggs.function.storage.TripClaims;
import dev.kinesisaggs.function.tables.AggregateItems;
import dev.kinesisaggs.function.tables.RecordRejects;
import dev.kinesisaggs.function.testing.MutableClock;
import dev.kinesisaggs.function.testing.TripRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The invocation's logic with in-memory stores: what is claimed, quarantined, folded and written, per part of a window
 * run; claims as the trips table decides them (first occurrence wins), quarantine per Kinesis record.
 */
class BatchProcessorTest {

    private static final String SHARD = "shardId-000000000006";
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:35Z");

    private final RetryBudget budget = RetryBudget.unbounded(new MutableClock(ARRIVAL));
    /** The trips table's claims: trip id to the occurrence that stored it first. */
    private final Map<String, String> claimedBy = new HashMap<>();
    private final List<RecordRejects> quarantined = new ArrayList<>();
    private final List<ClosedPart> parts = new ArrayList<>();
    /** The runs opened, as run@firstRecord. */
    private final List<String> openings = new ArrayList<>();
    private boolean tripsThrottled;

    private BatchProcessor processor(int maxPartVendors) {
        TripStore trips = (claims, b) -> {
            if (tripsThrottled) {
                throw new StorageException("throttled until the time ran out");
            }
            List<TripClaims.Outcome> outcomes = new ArrayList<>();
            for (TripClaims.Claim c : claims) {
                String first = claimedBy.putIfAbsent(c.trip().id(), c.occurrence());
                outcomes.add(first == null || first.equals(c.occurrence()) ? new TripClaims.Outcome.Claimed()
                        : new TripClaims.Outcome.Duplicate(first));
            }
            return new TripClaims.Results(outcomes, 0);
        };
        Quarantine quarantine = (r, b) -> {
            quarantined.addAll(r);
            return new RejectsWriter.Written(r.size(), 0, 0, 0);
        };
        AggregateItems.PartPlace window = new AggregateItems.PartPlace("2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z", SHARD);
        PartSink sink = new PartSink() {
            @Override
            public int open(AggregateItems.PartPlace place, String run, String runStart, RetryBudget b) {
                assertThat(place).isEqualTo(window);
                openings.add(run + "@" + runStart);
                return 0;
            }

            @Override
            public PartWriter.Written write(AggregateItems.PartPlace place, ClosedPart part, RetryBudget b) {
                assertThat(place).isEqualTo(window);
                parts.add(part);
                return new PartWriter.Written(part.totals().byVendor().size(), 0, false, 0);
            }
        };
        return new BatchProcessor(new TripParser(), trips, quarantine, sink, maxPartVendors);
    }

    private BatchProcessor processor() {
        return processor(5_000);
    }

    private static KinesisRecordIn record(int seq, byte[] data) {
        return new KinesisRecordIn(seqNo(seq), "pk", ARRIVAL, data);
    }

    private static String seqNo(int seq) {
        // real sequence numbers are 56 digits: more than a long holds
        return "4959033827149025660855969253836157109592157598913658" + String.format("%04d", seq);
    }

    private static ShardBatch batch(Map<String, String> state, boolean finalInvoke, KinesisRecordIn... records) {
        return new ShardBatch(SHARD, "2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z", state, finalInvoke, false, List.of(records));
    }

    private static WindowTotals sum(List<ClosedPart> parts) {
        WindowTotals t = WindowTotals.EMPTY;
        for (ClosedPart p : parts) {
            t = t.merge(p.totals());
        }
        return t;
    }

    @Test
    void cleanTripsAreClaimedAndFoldedPerVendorAndUncleanOnesQuarantinedWithTheirReason() {
        BatchResult result = processor().process(batch(Map.of(), false,
                record(1, TripRecords.trip("a", 1, 2)),
                record(2, "oops".getBytes(StandardCharsets.UTF_8)),
                record(3, TripRecords.trip("b", 2, 5)),
                record(4, TripRecords.trip("c", 1, 1))), budget, "run-1");

        assertThat(claimedBy).containsOnlyKeys("a", "b", "c").containsEntry("a", SHARD + ":" + seqNo(1) + ":0");
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.recordId()).isEqualTo(SHARD + ":" + seqNo(2));
            assertThat(q.counts()).isEqualTo(Map.of(RejectReason.MALFORMED_JSON, 1));
            assertThat(q.examples()).singleElement().satisfies(e -> assertThat(e.payload()).isEqualTo("oops".getBytes(StandardCharsets.UTF_8)));
        });
        assertThat(result.state()).containsEntry("1", "3,2,3000000,200").containsEntry("2", "5,1,1500000,100")
                .containsEntry("run", "run-1").containsEntry("start", seqNo(1)).containsEntry("part", "0")
                .containsEntry("first", seqNo(1)).containsEntry("last", seqNo(4));
        assertThat(result.stats().clean()).isEqualTo(3);
        assertThat(result.stats().counted()).isEqualTo(3);
        assertThat(result.stats().rejectedByReason()).isEqualTo(Map.of(RejectReason.MALFORMED_JSON, 1));
        assertThat(parts).isEmpty();
    }

    @Test
    void theFinalInvokeWritesTheLastPartWhichEndsTheRunAndTheNextWindowStartsEmpty() {
        BatchResult first = processor().process(batch(Map.of(), false, record(1, TripRecords.trip("a", 1, 2))), budget, "run-1");
        BatchResult last = processor().process(batch(first.state(), true), budget, "ignored: the run goes on");
        assertThat(last.state()).isEmpty();
        assertThat(openings).as("the run's first invocation opened it, its last did not again").containsExactly("run-1@" + seqNo(1));
        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.run()).isEqualTo("run-1");
            assertThat(p.index()).isZero();
            assertThat(p.endsRun()).isTrue();
            assertThat(p.totals().vendor(1)).isEqualTo(new VendorTotals(2, 1, 1_500_000, 100));
        });
    }

    @Test
    void theRunsLastPartSaysHowManyUserRecordsTheWindowLeftOutUncleanAndDuplicateAcrossInvocations() {
        BatchResult first = processor().process(batch(Map.of(), false,
                record(1, TripRecords.trip("a", 1, 2)),
                record(2, "oops".getBytes(StandardCharsets.UTF_8)),
                record(3, "{}".getBytes(StandardCharsets.UTF_8))), budget, "run-1");
        BatchResult second = processor().process(batch(first.state(), false,
                record(4, TripRecords.trip("a", 1, 2))), budget, "ignored"); // the producer's retry: a duplicate
        processor().process(batch(second.state(), true), budget, "ignored");

        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.endsRun()).isTrue();
            assertThat(p.runRecords()).isEqualTo(4);
            assertThat(p.runRejected()).isEqualTo(3);
            assertThat(p.totals().vendor(1)).isEqualTo(new VendorTotals(2, 1, 1_500_000, 100));
        });
    }

    @Test
    void aWindowOfOnlyUncleanRecordsWritesAnEmptyLastPartThatSaysHowManyItLeftOut() {
        BatchResult first = processor().process(batch(Map.of(), false, record(1, "oops".getBytes(StandardCharsets.UTF_8))), budget, "run-1");
        processor().process(batch(first.state(), true), budget, "ignored");

        assertThat(parts).singleElement().satisfies(p -> {
            assertThat(p.endsRun()).isTrue();
            assertThat(p.totals().isEmpty()).isTrue();
            assertThat(p.runRejected()).isEqualTo(1);
        });
    }

    @Test
    void aWindowWithNothingCountedWritesNothingAtItsEnd() {
        BatchResult result = processor().process(batch(Map.of(), true), budget, "run-1");
        assertThat(result.state()).isEmpty();
        assertThat(parts).isEmpty();
        assertThat(openings).as("no record, no run").isEmpty();
    }

    @Test
    void aDuplicateTripIsCountedOnceAndQuarantinedAsADuplicateOfTheFirst() {
        processor().process(batch(Map.of(), false, record(1, TripRecords.trip("a", 1, 2))), budget, "run-1");
        // the producer's retry put the same trip into the stream again, in a later batch
        BatchResult again = processor().process(batch(Map.of(), false, record(7, TripRecords.trip("a", 1, 2))), budget, "run-2");
        assertThat(again.stats().counted()).isZero();
        assertThat(again.stats().duplicates()).isEqualTo(1);
        assertThat(again.state()).doesNotContainKey("1");
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.recordId()).isEqualTo(SHARD + ":" + seqNo(7));
            assertThat(q.counts()).isEqualTo(Map.of(RejectReason.DUPLICATE_TRIP, 1));
            assertThat(q.examples().get(0).detail()).isEqualTo("trip a is counted already, from " + SHARD + ":" + seqNo(1) + ":0");
            // the example holds the user record as it came, as every other reason's does (found by probing: it was empty)
            assertThat(q.examples().get(0).payload()).isEqualTo(TripRecords.trip("a", 1, 2));
            assertThat(q.examples().get(0).payloadSize()).isEqualTo(TripRecords.trip("a", 1, 2).length);
        });
    }

    @Test
    void aReplayOfTheSameRecordsClaimsThemAgainAndCountsThemAgainInItsOwnRun() {
        BatchProcessor p = processor();
        BatchResult firstRun = p.process(batch(Map.of(), false, record(1, TripRecords.trip("a", 1, 2)), record(2, TripRecords.trip("b", 2, 1))),
                budget, "run-1");
        BatchResult replay = p.process(batch(Map.of(), false, record(1, TripRecords.trip("a", 1, 2)), record(2, TripRecords.trip("b", 2, 1))),
                budget, "run-2");
        assertThat(replay.stats().counted()).isEqualTo(2);
        assertThat(replay.stats().duplicates()).isZero();
        assertThat(replay.state()).containsEntry("run", "run-2");
        assertThat(WindowStateTotals.of(replay.state())).isEqualTo(WindowStateTotals.of(firstRun.state()));
    }

    @Test
    void aPartThatReachesTheMostVendorsIsWrittenAtOnceAndTheRunGoesOnInItsNextPart() {
        BatchProcessor p = processor(3);
        KinesisRecordIn[] records = IntStream.range(0, 10)
                .mapToObj(i -> record(i, TripRecords.trip("t" + i, 1 + i, 1))).toArray(KinesisRecordIn[]::new);
        BatchResult result = p.process(batch(Map.of(), false, records), budget, "run-1");
        BatchResult end = p.process(batch(result.state(), true), budget, "other");
        assertThat(parts).extracting(ClosedPart::index).containsExactly(0, 1, 2, 3);
        assertThat(parts).extracting(ClosedPart::endsRun).containsExactly(false, false, false, true);
        assertThat(parts).allSatisfy(part -> assertThat(part.totals().byVendor()).hasSizeLessThanOrEqualTo(3));
        assertThat(sum(parts).byVendor()).hasSize(10);
        assertThat(end.state()).isEmpty();
        // the state never held more than the open part
        assertThat(result.state().keySet().stream().filter(k -> k.chars().allMatch(Character::isDigit))).hasSize(1);
    }

    @Test
    void everyReasonOfARecordKeepsAnExampleThoughItComesAfterTheFirstFew() {
        Map<String, TripRecords.Unclean> kinds = TripRecords.uncleanKinds();
        List<byte[]> userRecords = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            userRecords.add(kinds.get("not json").data());
        }
        userRecords.add(kinds.get("12 passengers").data());
        userRecords.add(kinds.get("no vendor").data());
        userRecords.add(kinds.get("latitude 123").data());
        processor().process(batch(Map.of(), false, record(1, TripRecords.aggregate(userRecords))), budget, "run-1");

        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.counts()).isEqualTo(Map.of(RejectReason.MALFORMED_JSON, 5, RejectReason.OUT_OF_RANGE, 2,
                    RejectReason.MISSING_FIELD, 1));
            assertThat(q.examples()).extracting(RecordRejects.Example::subSequenceNumber).as("the first three, then the first of each reason")
                    .containsExactly(0L, 1L, 2L, 5L, 6L);
        });
    }

    @Test
    void aKplAggregateOfAHundredThousandEmptyUserRecordsIsOneQuarantineItemWithItsCount() {
        List<byte[]> empties = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            empties.add(new byte[0]);
        }
        empties.add(TripRecords.trip("real", 1, 1));
        BatchResult result = processor().process(batch(Map.of(), false, record(1, TripRecords.aggregate(empties, true))), budget, "run-1");
        assertThat(result.stats().userRecords()).isEqualTo(100_001);
        assertThat(result.stats().counted()).isEqualTo(1);
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.total()).isEqualTo(100_000);
            assertThat(q.examples()).hasSize(RecordRejects.MAX_EXAMPLES);
        });
    }

    @Test
    void whatCannotBeStoredInTimeFailsTheWholeInvocationWithNoStateChange() {
        tripsThrottled = true;
        assertThatThrownBy(() -> processor().process(batch(Map.of(), false, record(1, TripRecords.trip("a", 1, 2))), budget, "run-1"))
                .isInstanceOf(StorageException.class);
        assertThat(parts).isEmpty();
        assertThat(openings).as("the run shows as begun, and is never complete: its retry begins another")
                .containsExactly("run-1@" + seqNo(1));
    }

    @Test
    void anEventWithoutAWindowIsAnErrorNotASilentLossOfItsAggregates() {
        ShardBatch noWindow = new ShardBatch(SHARD, null, null, Map.of(), false, false, List.of(record(1, TripRecords.trip("a", 1, 2))));
        assertThatThrownBy(() -> processor().process(noWindow, budget, "run-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TumblingWindowInSeconds");
        assertThat(claimedBy).isEmpty();
    }

    /** The vendor entries of a state map, for comparing two runs' sums. */
    private static final class WindowStateTotals {
        static Map<String, String> of(Map<String, String> state) {
            Map<String, String> vendors = new HashMap<>();
            state.forEach((k, v) -> {
                if (k.chars().allMatch(Character::isDigit)) {
                    vendors.put(k, v);
                }
            });
            return vendors;
        }
    }
}
