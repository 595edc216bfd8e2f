package dev.kinesisaggs.core.kpl;

import java.util.List;
import java.util.Objects;

/**
 * The user records of one Kinesis record, collected in a list.
 *
 * @param outcome what the record was; when {@link DeaggregationResult.Broken}, {@code records} is empty
 * @param records the user records in sub-sequence order
 */
public record Deaggregated(DeaggregationResult outcome, List<UserRecord> records) {
    public Deaggregated {
        Objects.requireNonNull(outcome, "outcome");
        records = List.copyOf(records);
    }
}
