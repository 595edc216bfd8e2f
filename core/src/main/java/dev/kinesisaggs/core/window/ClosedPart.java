package dev.kinesisaggs.core.window;

import java.util.Objects;

/**
 * A part of a window run, closed and ready to be written (see {@link WindowRun}).
 *
 * @param run       the run's id
 * @param runStart  sequence number of the run's first Kinesis record
 * @param runRecords Kinesis records the run covered up to this part's end (all of them on the part that ends it)
 * @param runRejected user records of those not counted (unclean, duplicate, refused), up to this part's end
 * @param index     the part's index in the run (0, 1, ...)
 * @param first     sequence number of the part's first Kinesis record, {@code null} when it covers none
 * @param last      sequence number of its last Kinesis record, {@code null} when it covers none
 * @param endsRun   the run's last part, written at the window's final invoke: the run is complete with it
 * @param totals    the part's per-vendor totals
 */
public record ClosedPart(String run, String runStart, long runRecords, long runRejected, int index, String first, String last, boolean endsRun,
                         WindowTotals totals) {
    public ClosedPart {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(runStart, "runStart");
        Objects.requireNonNull(totals, "totals");
        if (index < 0) {
            throw new IllegalArgumentException("a part index is at least 0, got " + index);
        }
    }
}
