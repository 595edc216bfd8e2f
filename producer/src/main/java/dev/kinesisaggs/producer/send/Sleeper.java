package dev.kinesisaggs.producer.send;

/** Waits; injected so that tests advance a fake {@link Ticker} instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    void sleepNanos(long nanos) throws InterruptedException;

    static Sleeper system() {
        return nanos -> {
            if (nanos > 0) {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            }
        };
    }
}
