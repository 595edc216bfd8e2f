package dev.kinesisaggs.core.trip;

import java.util.Objects;

/**
 * Why a record is not clean.
 *
 * @param reason the rule broken
 * @param field  the field that broke it, or {@code null} when the rule concerns the whole record
 * @param detail one human sentence, e.g. {@code "passengerCount 12 is outside 0..9"}
 */
public record Rejection(RejectReason reason, String field, String detail) implements TripResult {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
