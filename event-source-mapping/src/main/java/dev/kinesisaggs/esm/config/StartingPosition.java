package dev.kinesisaggs.esm.config;

/** AWS's {@code StartingPosition}: where a shard without a checkpoint begins. */
public enum StartingPosition {
    LATEST,
    TRIM_HORIZON,
    AT_TIMESTAMP
}
