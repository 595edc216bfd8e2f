package dev.kinesisaggs.core.kpl;

import java.util.List;
import java.util.Objects;

/** What {@link Aggregator#add} did with one user record. */
public sealed interface AddResult {

    /**
     * Taken. {@code completed} are the Kinesis records finished by this call, in order, ready to put
     * (usually none; the aggregate that filled up, and/or the user record itself sent plain because
     * it is too large to aggregate).
     */
    record Accepted(List<PutRecordEntry> completed) implements AddResult {
        public Accepted {
            completed = List.copyOf(completed);
        }
    }

    /** Not taken, and nothing else changed: {@code detail} says why in one sentence. */
    record Rejected(String detail) implements AddResult {
        public Rejected {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
