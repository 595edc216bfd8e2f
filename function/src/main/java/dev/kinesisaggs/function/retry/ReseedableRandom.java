package dev.kinesisaggs.function.retry;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The backoff's jitter source, which can be given a fresh seed. With SnapStart, every execution
 * environment resumed from one snapshot starts with the same generator state, so all of them would
 * draw the same "random" waits and retry in step, which full jitter exists to prevent: the
 * priming hook reseeds it after each restore. (A new {@code SplittableRandom()} would not do:
 * its default seed comes from a static generator that is in the snapshot too.)
 */
public final class ReseedableRandom implements RandomGenerator {

    private SplittableRandom random;

    /** Seeded as {@code new SplittableRandom()} is: cheap, which matters to a cold start without SnapStart. */
    public ReseedableRandom() {
        this.random = new SplittableRandom();
    }

    public ReseedableRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A new seed from the operating system's entropy, which differs in each restored environment. */
    public synchronized void reseed() {
        random = new SplittableRandom(entropy());
    }

    @Override
    public synchronized long nextLong() {
        return random.nextLong();
    }

    private static long entropy() {
        return new SecureRandom().nextLong() ^ System.nanoTime();
    }
}
