package dev.kinesisaggs.producer.send;

/** A monotonic clock in nanoseconds, injected so that pacing and back-off are testable without waiting. */
@FunctionalInterface
public interface Ticker {

    long nanoTime();

    static Ticker system() {
        return System::nanoTime;
    }
}
