package dev.kinesisaggs.function.batch;

import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.TripClaims;
import java.util.Collections;
import java.util.List;

/** Where clean trips are stored and claimed: the trips table, or nowhere when it is switched off (then every trip counts). */
@FunctionalInterface
public interface TripStore {

    TripStore OFF = (claims, budget) -> new TripClaims.Results(
            Collections.nCopies(claims.size(), new TripClaims.Outcome.Claimed()), 0);

    TripClaims.Results claim(List<TripClaims.Claim> claims, RetryBudget budget);
}
