package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.Owned;
import dev.kinesisaggs.function.storage.PutOutcome;
import java.util.List;

/** Where clean trips go: the trips table, or nowhere when it is switched off. */
@FunctionalInterface
public interface TripSink {

    TripSink OFF = (trips, budget) -> new PutOutcome.AllWritten(0, 0);

    PutOutcome write(List<Owned<Trip>> trips, RetryBudget budget);
}
