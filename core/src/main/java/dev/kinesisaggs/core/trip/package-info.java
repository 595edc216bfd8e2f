/**
 * One taxi trip: the clean {@link dev.kinesisaggs.core.trip.Trip}, the reasons a record is not clean,
 * the fast JSON reader that tells them apart ({@link dev.kinesisaggs.core.trip.TripParser}) and its writer
 * ({@link dev.kinesisaggs.core.trip.TripJson}).
 */
package dev.kinesisaggs.core.trip;
