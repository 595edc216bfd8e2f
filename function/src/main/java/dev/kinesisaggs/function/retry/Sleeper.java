package dev.kinesisaggs.function.retry;

import java.time.Duration;

/** Waits; injected so that tests of retry logic take no time. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    static Sleeper threadSleep() {
        return d -> Thread.sleep(d.toMillis());
    }
}
