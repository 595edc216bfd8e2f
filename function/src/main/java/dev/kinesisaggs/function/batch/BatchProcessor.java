package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.kpl.DeaggregationResult;
import dev.kinesisaggs.core.kpl.Deaggregator;
import dev.kinesisaggs.core.trip.DetailText;
import dev.kinesisaggs.core.trip.RejectReason;
import dev.kinesisaggs.core.trip.Rejection;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.trip.TripResult;
import dev.kinesisaggs.core.window.WindowRun;
import dev.kinesisaggs.core.window.WindowState;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.PartWriter;
import dev.kinesisaggs.function.storage.RejectsWriter;
import dev.kinesisaggs.function.storage.TripClaims;
import dev.kinesisaggs.function.tables.AggregateItems;
import dev.kinesisaggs.function.tables.RecordRejects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One invocation, the workshop's steps done right:
 * <ol>
 *   <li>deaggregate each Kinesis record, parse and validate each user record;</li>
 *   <li>store each clean trip and claim it for its record ({@link TripClaims}): a trip already claimed by another
 *       record is a duplicate, one DynamoDB refuses is kept aside; neither is counted;</li>
 *   <li>quarantine what is not counted, one item per Kinesis record, with the reasons;</li>
 *   <li>fold the counted trips, in order, into the window run's open part; a full part is written at once;</li>
 *   <li>at the window's final invoke, write the last part, which completes the run, and start the next window
 *       with an empty state.</li>
 * </ol>
 *
 * <p>Anything that cannot be stored in the time left fails the whole invocation ({@link
 * dev.kinesisaggs.function.storage.StorageException}), and the function never answers with
 * {@code batchItemFailures}: under a tumbling window a partial answer comes with a state, and how Lambda combines the
 * two (keep the state and re-deliver from the failed record? drop both? retry all?) is not documented. A failed
 * invocation has one documented meaning: Lambda retries the batch with the state it had before. Whatever was stored
 * meanwhile is stored again identically (trips by their claim, parts by their run and index), so the retry is exact.
 */
public final class BatchProcessor {

    static final String NO_WINDOW = "The event has no tumbling window: this function aggregates per window, so its event source"
            + " mapping needs TumblingWindowInSeconds (1-900); without one every aggregate would be lost.";

    private final TripParser parser;
    private final TripStore trips;
    private final Quarantine quarantine;
    private final PartSink parts;
    private final int maxPartVendors;

    public BatchProcessor(TripParser parser, TripStore trips, Quarantine quarantine, PartSink parts) {
        this(parser, trips, quarantine, parts, WindowRun.MAX_PART_VENDORS);
    }

    /** With another part size: tests. */
    BatchProcessor(TripParser parser, TripStore trips, Quarantine quarantine, PartSink parts, int maxPartVendors) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.trips = Objects.requireNonNull(trips, "trips");
        this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
        this.parts = Objects.requireNonNull(parts, "parts");
        this.maxPartVendors = maxPartVendors;
    }

    /**
     * @param requestId names the window run when this invocation begins one (its state is empty)
     * @throws IllegalArgumentException for an event without a window
     * @throws dev.kinesisaggs.function.storage.StorageException when something could not be stored in time
     */
    public BatchResult process(ShardBatch batch, RetryBudget budget, String requestId) {
        if (batch.windowStart() == null || batch.windowEnd() == null) {
            throw new IllegalArgumentException(NO_WINDOW);
        }
        List<KinesisRecordIn> records = batch.records();
        AggregateItems.PartPlace place = new AggregateItems.PartPlace(batch.windowStart(), batch.windowEnd(), batch.shardId());
        WindowState in = WindowState.fromMap(batch.state());
        PartsWritten written = new PartsWritten();
        if (in.isEmpty() && !records.isEmpty()) {
            // first, so that a run whose every invocation fails later still shows, as begun and not complete
            written.retries += parts.open(place, requestId, records.get(0).sequenceNumber(), budget);
        }
        Parsed parsed = parse(batch);

        TripClaims.Results claims = trips.claim(parsed.claims, budget);
        List<Boolean> counted = new ArrayList<>(parsed.claims.size());
        int duplicates = 0;
        int refused = 0;
        for (int k = 0; k < parsed.claims.size(); k++) {
            TripClaims.Claim claim = parsed.claims.get(k);
            TripClaims.Outcome outcome = claims.outcomes().get(k);
            counted.add(outcome instanceof TripClaims.Outcome.Claimed);
            if (outcome instanceof TripClaims.Outcome.Duplicate d) {
                duplicates++;
                UserRecordAt at = parsed.claimedFrom.get(k);
                parsed.rejects(claim.owner(), batch).add(at.sub(), new Rejection(RejectReason.DUPLICATE_TRIP, "id",
                        "trip " + abbreviate(claim.trip().id()) + " is counted already, from " + d.firstOccurrence()),
                        records.get(claim.owner()).data(), at.offset(), at.length());
            } else if (outcome instanceof TripClaims.Outcome.Refused r) {
                refused++;
                UserRecordAt at = parsed.claimedFrom.get(k);
                parsed.rejects(claim.owner(), batch).add(at.sub(), new Rejection(RejectReason.STORAGE_REFUSED, null,
                        "DynamoDB refused trip " + abbreviate(claim.trip().id()) + ": " + r.message()),
                        records.get(claim.owner()).data(), at.offset(), at.length());
            }
        }

        List<RecordRejects> rejects = new ArrayList<>();
        for (RecordRejects r : parsed.rejectsByRecord) {
            if (r != null) {
                rejects.add(r);
            }
        }
        RejectsWriter.Written quarantined = quarantine.write(rejects, budget);

        Map<String, String> state;
        if (in.isEmpty() && records.isEmpty()) {
            state = Map.of(); // a window with nothing in it, ending or not
        } else {
            WindowRun run = WindowRun.resume(in, requestId, in.isEmpty() ? records.get(0).sequenceNumber() : null, maxPartVendors);
            int k = 0;
            for (int i = 0; i < records.size(); i++) {
                String seq = records.get(i).sequenceNumber();
                run.covers(seq, parsed.rejectsByRecord[i] == null ? 0 : parsed.rejectsByRecord[i].total());
                for (; k < parsed.claims.size() && parsed.claims.get(k).owner() == i; k++) {
                    if (counted.get(k)) {
                        run.fold(parsed.claims.get(k).trip(), seq).ifPresent(full -> written.add(parts.write(place, full, budget)));
                    }
                }
            }
            if (batch.endsPart()) {
                // the window's last part completes the run; Lambda starts the next window with a fresh state
                if (run.hasContent()) {
                    written.add(parts.write(place, run.close(true), budget));
                }
                state = Map.of();
            } else {
                state = run.state().toMap();
            }
        }

        int counts = (int) counted.stream().filter(c -> c).count();
        InvocationStats stats = new InvocationStats(records.size(), parsed.userRecords, parsed.claims.size(), parsed.rejectedByReason(rejects),
                counts, duplicates, refused, quarantined.items(), quarantined.dropped(),
                claims.retries() + quarantined.retries() + written.retries, written.parts, written.vendorItems, written.alreadyWhole);
        return new BatchResult(state, stats);
    }

    /** A user record of a Kinesis record: its sub-sequence number and where its bytes are in the record's data. */
    private record UserRecordAt(long sub, int offset, int length) {
    }

    /** The invocation's records, parsed: the clean trips to claim, in record order, and per record what is not counted. */
    private static final class Parsed {
        final List<TripClaims.Claim> claims = new ArrayList<>();
        /** Where each claim's user record is in its Kinesis record's data, for its example should it not be counted. */
        final List<UserRecordAt> claimedFrom = new ArrayList<>();
        final RecordRejects[] rejectsByRecord;
        int userRecords;

        Parsed(int records) {
            rejectsByRecord = new RecordRejects[records];
        }

        RecordRejects rejects(int owner, ShardBatch batch) {
            if (rejectsByRecord[owner] == null) {
                KinesisRecordIn r = batch.records().get(owner);
                rejectsByRecord[owner] = new RecordRejects(batch.shardId(), r.sequenceNumber(), r.arrival(), r.data().length);
            }
            return rejectsByRecord[owner];
        }

        Map<RejectReason, Integer> rejectedByReason(List<RecordRejects> rejects) {
            Map<RejectReason, Integer> counts = InvocationStats.newCounts();
            rejects.forEach(r -> r.counts().forEach((reason, n) -> counts.merge(reason, n, Integer::sum)));
            return counts;
        }
    }

    private Parsed parse(ShardBatch batch) {
        List<KinesisRecordIn> records = batch.records();
        Parsed parsed = new Parsed(records.size());
        Deaggregator deaggregator = Deaggregator.forCurrentThread();
        for (int i = 0; i < records.size(); i++) {
            int owner = i;
            KinesisRecordIn record = records.get(i);
            DeaggregationResult result = deaggregator.deaggregate(record.data(), record.partitionKey(), null,
                    (sub, keys, data, off, len) -> {
                        parsed.userRecords++;
                        TripResult trip = parser.parse(data, off, len);
                        if (trip instanceof Trip t) {
                            parsed.claims.add(new TripClaims.Claim(owner, t, batch.shardId() + ":" + record.sequenceNumber() + ":" + sub));
                            parsed.claimedFrom.add(new UserRecordAt(sub, off, len));
                        } else if (trip instanceof Rejection rejection) {
                            parsed.rejects(owner, batch).add(sub, rejection, data, off, len);
                        }
                    });
            if (result instanceof DeaggregationResult.Broken broken) {
                parsed.userRecords++;
                parsed.rejects(owner, batch).add(0, broken.rejection(), record.data(), 0, record.data().length);
            }
        }
        return parsed;
    }

    private static String abbreviate(String s) {
        return DetailText.cut(s, 64);
    }

    /** The parts written by one invocation. */
    private static final class PartsWritten {
        int parts;
        int vendorItems;
        int alreadyWhole;
        int retries;

        void add(PartWriter.Written w) {
            parts++;
            vendorItems += w.vendorItems();
            alreadyWhole += w.partWasWhole() ? 1 : 0;
            retries += w.retries();
        }
    }
}
