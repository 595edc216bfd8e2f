package dev.kinesisaggs.core.trip;

/**
 * What parsing one record yields: a clean {@link Trip}, or a {@link Rejection} that says why not.
 * Known ways to fail are values, not exceptions, so that one bad record never breaks a batch.
 */
public sealed interface TripResult permits Trip, Rejection {
}
