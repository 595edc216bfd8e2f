package dev.kinesisaggs.function.storage;

import java.util.Set;

/**
 * What a batch of puts came to. "Nothing written" and "some failed" are different answers on
 * purpose: the first makes Lambda retry the same payload, the second reports only the failed
 * records.
 */
public sealed interface PutOutcome {

    /** Items written, counting each distinct key once. */
    int written();

    /** Retry rounds of unprocessed items (not counting the SDK's own attempts). */
    int retries();

    /** Every item was written. */
    record AllWritten(int written, int retries) implements PutOutcome {
    }

    /**
     * Some items were still unwritten when the time ran out.
     *
     * @param failedOwners the owners (positions given by the caller) of the unwritten items
     */
    record SomeFailed(Set<Integer> failedOwners, int written, int retries) implements PutOutcome {
        public SomeFailed {
            failedOwners = Set.copyOf(failedOwners);
        }
    }

    /** Not one item was written on the first pass; no retry was attempted. */
    record NothingWritten(int attempted, String cause) implements PutOutcome {
        @Override
        public int written() {
            return 0;
        }

        @Override
        public int retries() {
            return 0;
        }
    }
}
