package dev.kinesisaggs.producer;

import dev.kinesisaggs.producer.send.PutRetries;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Producer} sends.
 *
 * <p>Start from {@link #defaults(String)} and change settings with the withers, as with {@code LocalAwsOptions}: every
 * wither goes through the canonical constructor, so each step is a complete, checked value and a wrong setting is
 * refused where it is made, with one sentence a command can show as it is.
 *
 * @param streamName       the Kinesis stream
 * @param aggregation      KPL-aggregate trips (many per Kinesis record); off sends one record per trip
 * @param tripsPerSecond   rate limit in trips per second; {@code 0} for no limit (as fast as the stream takes)
 * @param loop             replay a finite source for ever, with fresh ids each lap
 * @param shiftToNow       move dates so that the first pickup is now
 * @param sendBadRows      send rows that are not trips as they are (to exercise the consumer's quarantine) instead of skipping them
 * @param maxTrips         stop after sending this many trips (and bad rows); {@code 0} for no limit
 * @param maxDuration      stop after this long; {@code null} for no limit
 * @param maxBufferTime    how long a trip may wait in a part-filled aggregate or batch before it is sent anyway
 * @param progressInterval how often the listener hears about progress
 * @param retries          retries of failed PutRecords entries
 */
public record ProducerOptions(
        String streamName,
        boolean aggregation,
        double tripsPerSecond,
        boolean loop,
        boolean shiftToNow,
        boolean sendBadRows,
        long maxTrips,
        Duration maxDuration,
        Duration maxBufferTime,
        Duration progressInterval,
        PutRetries retries) {

    public ProducerOptions {
        Objects.requireNonNull(streamName, "streamName");
        Objects.requireNonNull(maxBufferTime, "maxBufferTime");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(retries, "retries");
        if (streamName.isBlank()) {
            throw new IllegalArgumentException("Give the name of the stream to send to.");
        }
        if (!(tripsPerSecond >= 0) || Double.isInfinite(tripsPerSecond)) {
            throw new IllegalArgumentException("The rate must be a positive number of trips per second, or 0 for no limit.");
        }
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("The progress interval must be longer than 0, e.g. 5s.");
        }
        if (maxTrips < 0) {
            throw new IllegalArgumentException("The maximum number of trips must be positive, or 0 for no limit.");
        }
        if (maxDuration != null && (maxDuration.isNegative() || maxDuration.isZero())) {
            throw new IllegalArgumentException("The maximum duration must be positive.");
        }
    }

    /**
     * The workshop producer's behaviour: aggregation on, no rate limit, one pass, dates as they are, bad rows skipped,
     * 100 ms of buffering (the KPL's default), progress every second.
     */
    public static ProducerOptions defaults(String streamName) {
        return new ProducerOptions(streamName, true, 0, false, false, false, 0, null,
                Duration.ofMillis(100), Duration.ofSeconds(1), PutRetries.DEFAULT);
    }

    public ProducerOptions withAggregation(boolean on) {
        return new ProducerOptions(streamName, on, tripsPerSecond, loop, shiftToNow, sendBadRows, maxTrips, maxDuration,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withRate(double perSecond) {
        return new ProducerOptions(streamName, aggregation, perSecond, loop, shiftToNow, sendBadRows, maxTrips, maxDuration,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withLoop(boolean on) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, on, shiftToNow, sendBadRows, maxTrips, maxDuration,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withShiftToNow(boolean on) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, loop, on, sendBadRows, maxTrips, maxDuration,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withSendBadRows(boolean on) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, loop, shiftToNow, on, maxTrips, maxDuration,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withMaxTrips(long max) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, loop, shiftToNow, sendBadRows, max, maxDuration,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withMaxDuration(Duration max) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, loop, shiftToNow, sendBadRows, maxTrips, max,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withRetries(PutRetries retries) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, loop, shiftToNow, sendBadRows, maxTrips, maxDuration,
                maxBufferTime, progressInterval, retries);
    }

    public ProducerOptions withMaxBufferTime(Duration max) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, loop, shiftToNow, sendBadRows, maxTrips, maxDuration,
                max, progressInterval, retries);
    }

    public ProducerOptions withProgressInterval(Duration interval) {
        return new ProducerOptions(streamName, aggregation, tripsPerSecond, loop, shiftToNow, sendBadRows, maxTrips, maxDuration,
                maxBufferTime, interval, retries);
    }
}
