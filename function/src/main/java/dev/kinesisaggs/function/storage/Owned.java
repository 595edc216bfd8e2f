package dev.kinesisaggs.function.storage;

/**
 * A value and the position of the Kinesis record it came from, so that a failed write can be
 * traced back to the record to report.
 */
public record Owned<T>(int owner, T value) {
}
