package dev.kinesisaggs.function.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReseedableRandomTest {

    private static long[] draws(ReseedableRandom random) {
        return LongStream.range(0, 8).map(i -> random.nextLong(1_000_000)).toArray();
    }

    @Test
    void twoEnvironmentsRestoredFromOneSnapshotDrawTheSameWaitsUntilReseeded() {
        // the same seed stands for one generator state restored in two environments
        ReseedableRandom a = new ReseedableRandom(42);
        ReseedableRandom b = new ReseedableRandom(42);
        assertThat(draws(a)).isEqualTo(draws(b));

        a.reseed();
        b.reseed();

        assertThat(draws(a)).isNotEqualTo(draws(b));
    }
}
