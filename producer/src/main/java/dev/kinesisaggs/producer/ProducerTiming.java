package dev.kinesisaggs.producer;

import dev.kinesisaggs.core.retry.Sleeper;
import dev.kinesisaggs.producer.send.Ticker;
import java.time.Clock;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Time and chance, injected: tests drive a producer with a fake ticker whose sleeper advances it.
 *
 * @param ticker  elapsed time, pacing, buffering deadlines
 * @param sleeper waits for the rate limit and the back-off
 * @param clock   "now" for shifting dates
 * @param jitter  the back-off's randomness
 */
public record ProducerTiming(Ticker ticker, Sleeper sleeper, Clock clock, RandomGenerator jitter) {

    public ProducerTiming {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(jitter, "jitter");
    }

    /** The machine's time, UTC dates. */
    public static ProducerTiming system() {
        return new ProducerTiming(Ticker.system(), Sleeper.system(), Clock.systemUTC(), new SplittableRandom());
    }
}
