package dev.kinesisaggs.core.trip;

/** The rule a record broke. Stored with every quarantined record and counted per invocation. */
public enum RejectReason {
    /** Not parseable as JSON (syntax error, truncated document, trailing garbage). */
    MALFORMED_JSON,
    /** The bytes are not valid UTF-8. */
    NOT_UTF8,
    /** Valid JSON, but not an object (an array, a string, a number...). */
    NOT_AN_OBJECT,
    /** A required field is absent, null, or an empty string (what the all-strings producer writes for no value). */
    MISSING_FIELD,
    /** A field has a type that cannot mean its value (an object for a number, "abc" for a count...). */
    WRONG_TYPE,
    /** A field is well typed but outside its sane range. */
    OUT_OF_RANGE,
    /** The record is larger than the configured maximum. */
    OVERSIZED,
    /** A KPL aggregated record whose checksum or structure is broken. */
    BAD_AGGREGATE,
    /**
     * A clean trip already counted from another record (a producer's retry put it twice): kept, not counted
     * again. Not a fault of the record's content.
     */
    DUPLICATE_TRIP,
    /**
     * A clean trip that DynamoDB refused to store (a {@code ValidationException} for that item) although the
     * rules let it through: the second line of defence, so that one item never fails its batch.
     */
    STORAGE_REFUSED
}
