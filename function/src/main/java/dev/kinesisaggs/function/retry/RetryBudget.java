package dev.kinesisaggs.function.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The time an invocation may still spend on retries: the time Lambda says is left, minus a
 * safety margin so that the function can still return its response (and its state) before
 * the timeout kills it.
 */
public final class RetryBudget {

    private final Clock clock;
    private final Instant deadline;

    private RetryBudget(Clock clock, Instant deadline) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /**
     * @param remaining    what {@code Context.getRemainingTimeInMillis()} says
     * @param safetyMargin kept back for returning the response
     */
    public static RetryBudget of(Clock clock, Duration remaining, Duration safetyMargin) {
        return new RetryBudget(clock, clock.instant().plus(remaining).minus(safetyMargin));
    }

    /** No end in sight; for tools that run outside Lambda. */
    public static RetryBudget unbounded(Clock clock) {
        return new RetryBudget(clock, Instant.MAX);
    }

    /** What is left before the deadline; zero once it has passed. */
    public Duration remaining() {
        if (deadline.equals(Instant.MAX)) {
            return Duration.ofDays(1);
        }
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean exhausted() {
        return remaining().isZero();
    }

    /** Whether waiting {@code wait} and then spending {@code work} still ends before the deadline. */
    public boolean allows(Duration wait, Duration work) {
        return wait.plus(work).compareTo(remaining()) < 0;
    }

    /** A call timeout that ends by the deadline and never exceeds {@code cap}. */
    public Duration callTimeout(Duration cap) {
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }
}
