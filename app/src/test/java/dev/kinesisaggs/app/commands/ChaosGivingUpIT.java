package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code kinesis-aggs chaos} for a seed whose mapping retries a failing batch twice, not for ever: batches may be given
 * up to the on-failure destination under the outages and redriven once the faults heal, and the tables must still equal
 * what the stream read back says (see {@link ChaosCommandIT}). Its traffic puts a Kinesis record twice, as a producer's
 * retry would: breaking the function's duplicate rule (counting a trip's second occurrence) fails it.
 */
class ChaosGivingUpIT {

    @Test
    void aSeedWithRetriesLimitedToTwoPasses() {
        assertThat(ChaosCommandIT.chaos(102))
                .containsPattern("seed 102: .*(batches given up and redriven|retries limited to 2, no batch given up)");
    }
}
