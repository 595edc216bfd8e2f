package dev.kinesisaggs.producer;

/**
 * How a run ended.
 *
 * @param stoppedBecause why it stopped
 * @param progress       the final counts
 */
public record ProducerSummary(StopReason stoppedBecause, ProducerProgress progress) {

    public enum StopReason {
        /** The source has no more trips. */
        SOURCE_ENDED,
        /** {@code maxTrips} were sent. */
        MAX_TRIPS,
        /** {@code maxDuration} has passed. */
        MAX_DURATION,
        /** {@link Producer#stop()} was called; what was buffered was sent. */
        STOPPED,
        /** The thread was interrupted; what was buffered was not sent. */
        INTERRUPTED
    }

    /** The end-of-run summary for a terminal. */
    public String describe() {
        ProducerProgress p = progress;
        return String.format("%s after %.1f s: %s, %,.0f %s/s on average, %,d PutRecords calls, %s%s",
                switch (stoppedBecause) {
                    case SOURCE_ENDED -> "done, the source has ended,";
                    case MAX_TRIPS -> "done, the maximum number of trips is sent,";
                    case MAX_DURATION -> "done, the maximum duration has passed,";
                    case STOPPED -> "stopped";
                    case INTERRUPTED -> "interrupted";
                },
                p.elapsed().toMillis() / 1000.0, p.sent(), p.averageRate(), p.sentUnit(), p.send().requests(), p.troubles(),
                p.send().failuresByError().isEmpty() ? "" : "; failed entries by error: " + p.send().failuresByError());
    }
}
