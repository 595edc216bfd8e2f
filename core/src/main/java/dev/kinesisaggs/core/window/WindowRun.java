package dev.kinesisaggs.core.window;

import dev.kinesisaggs.core.trip.Trip;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of a shard's window: the window's records, read in order from its first record (or from where the
 * mapping started reading), folded into parts. Not thread-safe: one per invocation.
 *
 * <p>Why runs and parts, and how this stays exact whatever Lambda does:
 * <ul>
 *   <li>A window is counted per shard. Every time Lambda (re)delivers a window from its start with an empty
 *       state (its first delivery, or a replay after a failure, a lost checkpoint, a restart from
 *       {@code TRIM_HORIZON}), that is a new <em>run</em>, named after the invocation that began it (its request
 *       id). The invocation that begins a run first writes its opening (that the run began, and at which
 *       record), so that a run whose final invoke is given up is seen even when it wrote no part. Within a run,
 *       the state carries the open part from invocation to invocation.</li>
 *   <li>A run writes its window as <em>parts</em>: the open part is closed and written when it reaches
 *       {@link #MAX_PART_VENDORS} vendors (so that the state stays far under Lambda's 1 MB and Lambda never
 *       terminates the window early, whose continuation could not be told from a replay), and at the window's
 *       final invoke, whose part closes the run. Each part is written under its run's name and its index, so
 *       a retry of the same invocation rewrites the same part with the same values, and two runs never mix.</li>
 *   <li>A reader counts complete runs only (closed by their final part, with all their parts): of a shard's runs,
 *       those whose record ranges do not overlap that cover the most Kinesis records, so that a replay with other
 *       batch boundaries, other part boundaries, a later start or another window length counts each record once, a
 *       run that lost a batch (its retries given up) is replaced by a redrive of the whole window, and a window whose
 *       final invoke was given up is visibly incomplete instead of half-counted.</li>
 * </ul>
 */
public final class WindowRun {

    /**
     * The most vendors in one part: 5,000 vendors make a state of about 250 KB, a quarter of Lambda's limit
     * whatever encoding Lambda measures it in.
     */
    public static final int MAX_PART_VENDORS = 5_000;

    private final String run;
    private final String runStart;
    private long records;
    private long rejected;
    private int part;
    private String partFirst;
    private String partLast;
    private WindowAccumulator sums;
    private final int maxPartVendors;

    private WindowRun(String run, String runStart, long records, long rejected, int part, String partFirst, String partLast,
                      WindowAccumulator sums, int maxPartVendors) {
        this.run = run;
        this.runStart = runStart;
        this.records = records;
        this.rejected = rejected;
        this.part = part;
        this.partFirst = partFirst;
        this.partLast = partLast;
        this.sums = sums;
        this.maxPartVendors = maxPartVendors;
    }

    /**
     * Continues the run of {@code state}, or begins one named {@code newRunId} at the record {@code firstRecord}
     * when the state is a fresh window's.
     */
    public static WindowRun resume(WindowState state, String newRunId, String firstRecord) {
        return resume(state, newRunId, firstRecord, MAX_PART_VENDORS);
    }

    /** As {@link #resume(WindowState, String, String)}, with another part size (tests). */
    public static WindowRun resume(WindowState state, String newRunId, String firstRecord, int maxPartVendors) {
        if (state.isEmpty()) {
            Objects.requireNonNull(newRunId, "newRunId");
            Objects.requireNonNull(firstRecord, "firstRecord");
            return new WindowRun(newRunId, firstRecord, 0, 0, 0, null, null, new WindowAccumulator(), maxPartVendors);
        }
        return new WindowRun(state.run(), state.runStart(), state.records(), state.rejected(), state.part(), state.partFirst(), state.partLast(),
                WindowAccumulator.from(state.totals()), maxPartVendors);
    }

    /**
     * A Kinesis record of the run was read (whatever it held): the open part covers it.
     *
     * @param notCounted how many of its user records are not counted (unclean, duplicate, refused)
     */
    public void covers(String sequenceNumber, int notCounted) {
        records++;
        rejected += notCounted;
        if (partFirst == null) {
            partFirst = sequenceNumber;
        }
        partLast = sequenceNumber;
    }

    /**
     * Adds a trip to the open part. When the part is full (a new vendor would make it larger than
     * {@link #MAX_PART_VENDORS}), the full part is closed first and returned, to be written before the state
     * moves on; the trip then opens the next part.
     */
    public Optional<ClosedPart> fold(Trip trip, String sequenceNumber) {
        Optional<ClosedPart> closed = Optional.empty();
        if (sums.vendorCount() >= maxPartVendors && !sums.contains(trip.vendorId())) {
            closed = Optional.of(close(false));
            partFirst = sequenceNumber;
            partLast = sequenceNumber;
        }
        sums.fold(trip);
        return closed;
    }

    /** Closes the open part, which ends the run when {@code last}; the next part starts empty. */
    public ClosedPart close(boolean last) {
        ClosedPart closed = new ClosedPart(run, runStart, records, rejected, part, partFirst, partLast, last, sums.totals());
        part++;
        partFirst = null;
        partLast = null;
        sums = new WindowAccumulator();
        return closed;
    }

    /**
     * Whether the run has written parts already, holds sums, or left user records out: a run with none of these has
     * nothing to write. One that only left records out still writes its (empty) last part, whose marker says how many.
     */
    public boolean hasContent() {
        return part > 0 || sums.vendorCount() > 0 || rejected > 0;
    }

    public String run() {
        return run;
    }

    /** The state to return to Lambda. */
    public WindowState state() {
        return new WindowState(run, runStart, records, rejected, part, partFirst, partLast, sums.totals());
    }
}
