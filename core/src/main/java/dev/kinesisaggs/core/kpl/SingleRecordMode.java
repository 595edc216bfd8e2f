package dev.kinesisaggs.core.kpl;

/** How {@link Aggregator} sends an aggregate that ends up holding a single user record. */
public enum SingleRecordMode {
    /**
     * As a plain record (its own data and partition key): what KPL does, since wrapping one record
     * only adds 20+ bytes of overhead. The default.
     */
    PLAIN,
    /** As a one-record aggregate: useful to exercise the consumer's deaggregation on every record. */
    AGGREGATED
}
