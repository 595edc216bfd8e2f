package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.kpl.DeaggregationResult;
import dev.kinesisaggs.core.kpl.Deaggregator;
import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Rejection;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.trip.TripResult;
import dev.kinesisaggs.core.window.WindowAccumulator;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.AggregatesWriter;
import dev.kinesisaggs.function.storage.Owned;
import dev.kinesisaggs.function.storage.PutOutcome;
import dev.kinesisaggs.function.storage.QuarantinedRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One invocation, the workshop's steps done right:
 * <ol>
 *   <li>deaggregate each Kinesis record, parse and validate each user record;</li>
 *   <li>quarantine the unclean ones (they never fail the batch), store the clean ones;</li>
 *   <li>nothing stored at all: throw, so that Lambda retries the same payload;</li>
 *   <li>some not stored (after retries within the time left): report the Kinesis record that
 *       carried the first of them, and fold only the records before it, because Lambda
 *       re-delivers everything from that record on;</li>
 *   <li>fold the stored trips into the window state, and return it;</li>
 *   <li>when the invocation ends a part of the window, add the part to the aggregates, once.</li>
 * </ol>
 *
 * <p>An invocation that ends a part and cannot store all its records throws instead of reporting
 * a partial failure: whether Lambda would keep the state of such a response and re-deliver into
 * the same window is not documented, and a retry of the whole invocation with the previous
 * state can neither lose nor double-count.
 */
public final class BatchProcessor {

    private final TripParser parser;
    private final TripSink trips;
    private final QuarantineSink quarantine;
    private final WindowFlusher flusher;

    public BatchProcessor(TripParser parser, TripSink trips, QuarantineSink quarantine, WindowFlusher flusher) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.trips = Objects.requireNonNull(trips, "trips");
        this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
        this.flusher = Objects.requireNonNull(flusher, "flusher");
    }

    public BatchResult process(ShardBatch batch, RetryBudget budget) {
        WindowAccumulator window = WindowAccumulator.fromStateMap(batch.state());
        List<KinesisRecordIn> records = batch.records();

        // 1. deaggregate, parse, validate
        List<Owned<Trip>> clean = new ArrayList<>();
        List<Owned<QuarantinedRecord>> unclean = new ArrayList<>();
        Map<RejectReason, Integer> rejected = InvocationStats.newCounts();
        int[] userRecords = {0};
        Deaggregator deaggregator = Deaggregator.forCurrentThread();
        for (int i = 0; i < records.size(); i++) {
            int owner = i;
            KinesisRecordIn record = records.get(i);
            DeaggregationResult result = deaggregator.deaggregate(record.data(), record.partitionKey(), null,
                    (sub, keys, data, off, len) -> {
                        userRecords[0]++;
                        TripResult parsed = parser.parse(data, off, len);
                        if (parsed instanceof Trip trip) {
                            clean.add(new Owned<>(owner, trip));
                        } else if (parsed instanceof Rejection rejection) {
                            rejected.merge(rejection.reason(), 1, Integer::sum);
                            unclean.add(new Owned<>(owner, quarantined(batch, record, sub, rejection,
                                    Arrays.copyOfRange(data, off, off + len))));
                        }
                    });
            if (result instanceof DeaggregationResult.Broken broken) {
                userRecords[0]++;
                rejected.merge(broken.rejection().reason(), 1, Integer::sum);
                unclean.add(new Owned<>(owner, quarantined(batch, record, 0, broken.rejection(), record.data())));
            }
        }

        // 2-4. store, and find the first Kinesis record that could not be stored whole
        PutOutcome tripsOutcome = clean.isEmpty() ? new PutOutcome.AllWritten(0, 0) : trips.write(clean, budget);
        PutOutcome rejectsOutcome = unclean.isEmpty() ? new PutOutcome.AllWritten(0, 0) : quarantine.write(unclean, budget);
        Set<Integer> failedOwners = new TreeSet<>();
        collectFailed(tripsOutcome, clean, failedOwners);
        collectFailed(rejectsOutcome, unclean, failedOwners);
        int written = tripsOutcome.written() + rejectsOutcome.written();
        if (!failedOwners.isEmpty() && written == 0) {
            throw new BatchWriteFailedException("no record of shard " + batch.shardId() + " could be stored ("
                    + describe(tripsOutcome) + "; " + describe(rejectsOutcome) + "); Lambda will retry the batch");
        }
        if (!failedOwners.isEmpty() && batch.endsPart()) {
            throw new BatchWriteFailedException(failedOwners.size() + " records of shard " + batch.shardId()
                    + " could not be stored in an invocation that ends a window part; Lambda will retry it");
        }
        int firstFailed = failedOwners.isEmpty() ? records.size() : ((TreeSet<Integer>) failedOwners).first();

        // 5. fold what is stored, in order, up to the first failed record
        for (Owned<Trip> t : clean) {
            if (t.owner() >= firstFailed) {
                break;
            }
            window.fold(batch.shardId(), records.get(t.owner()).sequenceNumber(), t.value());
        }

        // 6. a finished part goes to the aggregates; Lambda starts the next part with a fresh state
        AggregatesWriter.Written parts = new AggregatesWriter.Written(0, 0, 0);
        Map<String, String> state;
        if (batch.endsPart()) {
            parts = flusher.flush(batch.windowStart(), batch.windowEnd(), window.partId(), window.totals(), budget);
            state = Map.of();
        } else {
            state = window.toStateMap();
        }

        List<String> failures = firstFailed < records.size() ? List.of(records.get(firstFailed).sequenceNumber()) : List.of();
        InvocationStats stats = new InvocationStats(records.size(), userRecords[0], clean.size(), rejected,
                tripsOutcome.written(), rejectsOutcome.written(), firstFailed, records.size() - firstFailed,
                tripsOutcome.retries() + rejectsOutcome.retries() + parts.retries(),
                parts.vendorsAdded(), parts.vendorsAlreadyThere());
        return new BatchResult(state, failures, stats);
    }

    private static <T> void collectFailed(PutOutcome outcome, List<Owned<T>> sent, Set<Integer> failedOwners) {
        if (outcome instanceof PutOutcome.SomeFailed some) {
            failedOwners.addAll(some.failedOwners());
        } else if (outcome instanceof PutOutcome.NothingWritten) {
            sent.forEach(o -> failedOwners.add(o.owner()));
        }
    }

    private static String describe(PutOutcome outcome) {
        return outcome instanceof PutOutcome.NothingWritten nothing ? nothing.cause() : outcome.written() + " written";
    }

    private static QuarantinedRecord quarantined(ShardBatch batch, KinesisRecordIn record, int sub,
                                                 Rejection rejection, byte[] payload) {
        return new QuarantinedRecord(batch.shardId(), record.sequenceNumber(), sub, record.arrival(), rejection, payload);
    }
}
