package dev.kinesisaggs.producer.send;

/**
 * How large one PutRecords request may grow.
 *
 * @param maxRecords entries per request (Kinesis: 500)
 * @param maxBytes   data plus partition keys per request (Kinesis: 5 MiB)
 */
public record BatchLimits(int maxRecords, long maxBytes) {

    /** The Kinesis PutRecords limits. */
    public static final BatchLimits KINESIS = new BatchLimits(500, 5L * 1024 * 1024);

    public BatchLimits {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
    }
}
