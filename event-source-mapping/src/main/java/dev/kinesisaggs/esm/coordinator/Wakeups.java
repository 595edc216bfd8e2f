package dev.kinesisaggs.esm.coordinator;

/**
 * Wakes a sleeping thread of the runner when something happened that may let it go on: for the
 * coordinator, a shard finished (its children may start); for a shard, one of its lanes'
 * invocations returned; for all, the mapping is closing. A
 * thread notes {@link #count()} before its step and sleeps only if nothing was signalled since,
 * so a signal that comes between the step and the sleep is not missed.
 */
public final class Wakeups {

    private final Object monitor = new Object();
    private long count;

    public long count() {
        synchronized (monitor) {
            return count;
        }
    }

    public void signal() {
        synchronized (monitor) {
            count++;
            monitor.notifyAll();
        }
    }

    /** Sleeps up to {@code millis}, unless a signal came after {@code seen}; returns early on a signal. */
    public void sleep(long seen, long millis) throws InterruptedException {
        synchronized (monitor) {
            if (count == seen && millis > 0) {
                monitor.wait(millis);
            }
        }
    }
}
