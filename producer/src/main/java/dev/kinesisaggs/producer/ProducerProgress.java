package dev.kinesisaggs.producer;

import dev.kinesisaggs.producer.send.SendCounts;
import java.time.Duration;

/**
 * Where a producer stands.
 *
 * @param elapsed          since it started
 * @param badRowsSkipped   rows that are not trips, reported and not sent
 * @param badRowsSent      rows that are not trips, sent as they are ({@code sendBadRows})
 * @param buffered         trips taken from the source and not yet acknowledged or given up on
 * @param send             what Kinesis acknowledged, retries, failures
 * @param recentRate       trips acknowledged per second since the previous progress report
 */
public record ProducerProgress(
        Duration elapsed,
        long badRowsSkipped,
        long badRowsSent,
        long buffered,
        SendCounts send,
        double recentRate) {

    /** Trips acknowledged per second since the start. */
    public double averageRate() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : send.sentTrips() / seconds;
    }

    /**
     * One progress line for a terminal, e.g.
     * {@code 12.0 s: sent 12,000 trips in 85 Kinesis records (3.9 MB), 2,400 trips/s, 3 records retried, 0 trips failed}.
     */
    public String line() {
        return String.format("%.1f s: %s, %,.0f %s/s, %s", elapsed.toMillis() / 1000.0, sent(), recentRate, sentUnit(), troubles());
    }

    /**
     * What was sent, e.g. {@code sent 12,000 trips in 85 Kinesis records (3.9 MB)}; with bad rows sent as they are, the
     * count is of both ({@link #troubles} says how many bad rows).
     */
    String sent() {
        return String.format("sent %,d %s in %,d Kinesis record%s (%.1f MB)", send.sentTrips(),
                badRowsSent == 0 ? "trips" : "trips and bad rows", send.sentRecords(), send.sentRecords() == 1 ? "" : "s",
                send.sentBytes() / 1e6);
    }

    /** What the sent count and its rates count: trips, or user records when bad rows were sent as they are too. */
    String sentUnit() {
        return badRowsSent == 0 ? "trips" : "records";
    }

    /** Retries, failures and bad rows, e.g. {@code 3 records retried, 0 trips failed}. */
    String troubles() {
        return String.format("%,d records retried, %,d trips failed%s", send.retriedRecords(), send.failedTrips(),
                badRowsSkipped + badRowsSent == 0 ? ""
                        : String.format(", bad rows: %,d skipped, %,d sent as-is", badRowsSkipped, badRowsSent));
    }
}
