/**
 * The KPL aggregated-record format: reading it on the consumer side and writing it on the producer side.
 *
 * <p>A Kinesis record whose data starts with the magic bytes {@code F3 89 9A C2} carries a protobuf
 * {@code AggregatedRecord} followed by the 16-byte MD5 of the protobuf bytes; it holds many <em>user
 * records</em>, each with its own partition key, optional explicit hash key and data. AWS Lambda does
 * not deaggregate, so the function does it itself with {@link dev.kinesisaggs.core.kpl.Deaggregator};
 * the producer packs trips with {@link dev.kinesisaggs.core.kpl.Aggregator}.
 *
 * <p>The protobuf wire format is decoded and encoded by hand, so that {@code core} needs no protobuf
 * runtime and the hot path neither copies user-record data nor allocates per record beyond what the
 * caller asks for. A broken aggregate (bad MD5, truncated, index outside a key table, malformed
 * protobuf) is one {@link dev.kinesisaggs.core.trip.RejectReason#BAD_AGGREGATE} rejection: never an
 * exception, and never some of its user records followed by silence.
 */
package dev.kinesisaggs.core.kpl;
