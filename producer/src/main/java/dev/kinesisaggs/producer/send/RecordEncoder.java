package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.trip.Trip;

/** Turns a trip into the bytes put on the stream: the workshop producer's JSON. */
@FunctionalInterface
public interface RecordEncoder {

    byte[] encode(Trip trip);
}
