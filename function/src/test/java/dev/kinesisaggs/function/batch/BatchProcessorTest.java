package dev.kinesisaggs.function.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.AggregatesWriter;
import dev.kinesisaggs.function.storage.Owned;
import dev.kinesisaggs.function.storage.PutOutcome;
import dev.kinesisaggs.function.storage.QuarantinedRecord;
import dev.kinesisaggs.function.storage.VendorSums;
import dev.kinesisaggs.function.storage.WindowPart;
import dev.kinesisaggs.function.testing.MutableClock;
import dev.kinesisaggs.function.testing.TripRecords;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {

    private static final String SHARD = "shardId-000000000006";
    private static final Instant ARRIVAL = Instant.parse("2020-12-09T07:04:35Z");

    private final RetryBudget budget = RetryBudget.unbounded(new MutableClock(ARRIVAL));
    private final List<Owned<Trip>> storedTrips = new ArrayList<>();
    private final List<Owned<QuarantinedRecord>> quarantined = new ArrayList<>();
    private final List<WindowPart> parts = new ArrayList<>();
    private Function<List<Owned<Trip>>, PutOutcome> tripsAnswer = trips -> new PutOutcome.AllWritten(trips.size(), 0);

    private BatchProcessor processor() {
        TripSink trips = (t, b) -> {
            PutOutcome outcome = tripsAnswer.apply(t);
            Set<Integer> failed = outcome instanceof PutOutcome.SomeFailed some ? some.failedOwners()
                    : outcome instanceof PutOutcome.NothingWritten ? t.stream().map(Owned::owner).collect(Collectors.toSet()) : Set.of();
            t.stream().filter(o -> !failed.contains(o.owner())).forEach(storedTrips::add);
            return outcome;
        };
        QuarantineSink quarantine = (r, b) -> {
            quarantined.addAll(r);
            return new PutOutcome.AllWritten(r.size(), 0);
        };
        AggregateSink aggregates = (part, b) -> {
            parts.add(part);
            return new AggregatesWriter.Written(part.vendors().size(), 0, 0);
        };
        return new BatchProcessor(new TripParser(), trips, quarantine, new WindowFlusher(aggregates));
    }

    private static KinesisRecordIn record(int seq, byte[] data) {
        return new KinesisRecordIn(seqNo(seq), "pk", ARRIVAL, data);
    }

    private static String seqNo(int seq) {
        // real sequence numbers are 56 digits: more than a long holds
        return "4959033827149025660855969253836157109592157598913658" + String.format("%04d", seq);
    }

    private static ShardBatch batch(Map<String, String> state, boolean finalInvoke, boolean early, KinesisRecordIn... records) {
        return new ShardBatch(SHARD, "2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z", state, finalInvoke, early, List.of(records));
    }

    @Test
    void cleanTripsAreStoredAndFoldedPerVendorAndUncleanOnesQuarantinedWithTheirReason() {
        BatchResult result = processor().process(batch(Map.of(), false, false,
                record(1, TripRecords.trip("a", 1, 2)),
                record(2, "oops".getBytes()),
                record(3, TripRecords.trip("b", 2, 5)),
                record(4, TripRecords.trip("c", 1, 1))), budget);

        assertThat(result.failedSequenceNumbers()).isEmpty();
        assertThat(storedTrips).extracting(t -> t.value().id()).containsExactly("a", "b", "c");
        assertThat(quarantined).singleElement().satisfies(q -> {
            assertThat(q.value().rejection().reason()).isEqualTo(RejectReason.MALFORMED_JSON);
            assertThat(q.value().recordId()).isEqualTo(SHARD + ":" + seqNo(2) + ":0");
            assertThat(q.value().payload()).isEqualTo("oops".getBytes());
        });
        assertThat(result.state()).containsEntry("1", "3,2,3000000,200").containsEntry("2", "5,1,1500000,100")
                .containsEntry("part", SHARD + ":" + seqNo(1));
        assertThat(result.stats().clean()).isEqualTo(3);
        assertThat(result.stats().rejectedByReason()).isEqualTo(Map.of(RejectReason.MALFORMED_JSON, 1));
        assertThat(parts).isEmpty();
    }

    @Test
    void whenSomeTripsFailItReportsTheirRecordAndFoldsOnlyTheRecordsBeforeIt() {
        tripsAnswer = trips -> new PutOutcome.SomeFailed(Set.of(2, 3), trips.size() - 2, 4);
        BatchResult result = processor().process(batch(Map.of(), false, false,
                record(1, TripRecords.trip("a", 1, 2)),
                record(2, TripRecords.trip("b", 1, 3)),
                record(3, TripRecords.trip("c", 1, 4)),
                record(4, TripRecords.trip("d", 1, 5)),
                record(5, TripRecords.trip("e", 1, 6))), budget);

        assertThat(result.failedSequenceNumbers()).containsExactly(seqNo(3));
        // a and b are folded; c failed; d, e were stored but Lambda re-delivers them, so they are not folded
        assertThat(result.state()).containsEntry("1", "5,2,3000000,200");
        assertThat(result.stats().recordsFolded()).isEqualTo(2);
        assertThat(result.stats().failedRecords()).isEqualTo(3);
        assertThat(result.stats().writeRetries()).isEqualTo(4);
    }

    @Test
    void aFailedTripInsideAKplAggregateReportsTheOuterRecord() {
        byte[] aggregate = TripRecords.aggregate(List.of(TripRecords.trip("x1", 1, 1), TripRecords.trip("x2", 1, 1),
                TripRecords.trip("x3", 2, 3)));
        // owners are Kinesis record positions: the aggregate is record 1
        tripsAnswer = trips -> {
            assertThat(trips).extracting(Owned::owner).containsExactly(0, 1, 1, 1, 2);
            return new PutOutcome.SomeFailed(Set.of(1), 2, 1);
        };
        BatchResult result = processor().process(batch(Map.of(), false, false,
                record(1, TripRecords.trip("a", 1, 2)), record(2, aggregate), record(3, TripRecords.trip("z", 1, 1))), budget);

        assertThat(result.failedSequenceNumbers()).containsExactly(seqNo(2));
        assertThat(result.state()).containsEntry("1", "2,1,1500000,100").doesNotContainKey("2");
        assertThat(result.stats().userRecords()).isEqualTo(5);
    }

    @Test
    void whenNothingCanBeStoredItThrowsSoThatLambdaRetriesTheBatch() {
        tripsAnswer = trips -> new PutOutcome.NothingWritten(trips.size(), "throttled");
        assertThatThrownBy(() -> processor().process(batch(Map.of(), false, false,
                record(1, TripRecords.trip("a", 1, 2)), record(2, TripRecords.trip("b", 1, 2))), budget))
                .isInstanceOf(BatchWriteFailedException.class)
                .hasMessageContaining("no record of shard " + SHARD);
    }

    @Test
    void theFinalInvokeFoldsItsRecordsThenWritesThePartAndReturnsAnEmptyState() {
        BatchResult first = processor().process(batch(Map.of(), false, false,
                record(1, TripRecords.trip("a", 1, 2)), record(2, TripRecords.trip("b", 2, 1))), budget);
        BatchResult last = processor().process(batch(first.state(), true, false,
                record(3, TripRecords.trip("c", 2, 4))), budget);

        assertThat(last.state()).isEmpty();
        assertThat(last.failedSequenceNumbers()).isEmpty();
        assertThat(parts).singleElement().satisfies(part -> {
            assertThat(part.windowStart()).isEqualTo("2020-12-09T07:04:00Z");
            assertThat(part.windowEnd()).isEqualTo("2020-12-09T07:04:30Z");
            assertThat(part.partId()).isEqualTo(SHARD + ":" + seqNo(1));
            assertThat(part.vendors()).containsExactly(
                    new VendorSums(1, 2, 1, new BigDecimal("1.5"), 100),
                    new VendorSums(2, 5, 2, new BigDecimal("3"), 200));
        });
        assertThat(last.stats().partsWritten()).isEqualTo(2);
    }

    @Test
    void anEmptyWindowWritesNothing() {
        BatchResult result = processor().process(batch(Map.of(), true, false), budget);
        assertThat(parts).isEmpty();
        assertThat(result.state()).isEmpty();
    }

    @Test
    void earlyTerminationWritesTheStateSoFarAsAPartAndStartsAfresh() {
        BatchResult first = processor().process(batch(Map.of(), false, false, record(1, TripRecords.trip("a", 1, 2))), budget);
        BatchResult early = processor().process(batch(first.state(), false, true, record(2, TripRecords.trip("b", 1, 3))), budget);
        BatchResult next = processor().process(batch(early.state(), false, false, record(3, TripRecords.trip("c", 1, 4))), budget);
        processor().process(batch(next.state(), true, false), budget);

        assertThat(early.state()).isEmpty();
        assertThat(parts).extracting(WindowPart::partId).containsExactly(SHARD + ":" + seqNo(1), SHARD + ":" + seqNo(3));
        assertThat(parts).flatExtracting(WindowPart::vendors).extracting(VendorSums::passengers).containsExactly(5L, 4L);
    }

    @Test
    void aWindowEndingInvocationThatCannotStoreEverythingThrowsInsteadOfReporting() {
        tripsAnswer = trips -> new PutOutcome.SomeFailed(Set.of(1), 1, 3);
        assertThatThrownBy(() -> processor().process(batch(Map.of(), true, false,
                record(1, TripRecords.trip("a", 1, 2)), record(2, TripRecords.trip("b", 1, 2))), budget))
                .isInstanceOf(BatchWriteFailedException.class);
        assertThat(parts).isEmpty();
    }

    @Test
    void tenKindsOfUncleanRecordsAndABrokenAggregateAreQuarantinedWithTheRightReasons() {
        List<KinesisRecordIn> records = new ArrayList<>();
        int seq = 0;
        records.add(record(seq++, TripRecords.trip("ok1", 1, 1)));
        for (TripRecords.Unclean u : TripRecords.uncleanKinds().values()) {
            records.add(record(seq++, u.data()));
        }
        records.add(record(seq++, TripRecords.brokenAggregate()));
        records.add(record(seq, TripRecords.trip("ok2", 2, 3)));

        BatchResult result = processor().process(new ShardBatch(SHARD, "s", "e", Map.of(), false, false, records), budget);

        assertThat(result.failedSequenceNumbers()).isEmpty();
        assertThat(storedTrips).extracting(t -> t.value().id()).containsExactly("ok1", "ok2");
        List<String> expected = new ArrayList<>(TripRecords.uncleanKinds().values().stream().map(TripRecords.Unclean::reason).toList());
        expected.add("BAD_AGGREGATE");
        assertThat(quarantined).extracting(q -> q.value().rejection().reason().name()).containsExactlyElementsOf(expected);
        assertThat(result.stats().rejected()).isEqualTo(11);
        assertThat(result.state()).containsEntry("1", "1,1,1500000,100").containsEntry("2", "3,1,1500000,100");
    }
}
