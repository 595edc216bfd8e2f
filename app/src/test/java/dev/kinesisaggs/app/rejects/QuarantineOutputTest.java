package dev.kinesisaggs.app.rejects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuarantineOutputTest {

    @Test
    void countsNameTheChosenReasonsOnlyInOrder() {
        Map<String, Long> counts = Map.of("OUT_OF_RANGE", 2L, "DUPLICATE_TRIP", 1_000L, "MALFORMED_JSON", 1L);
        assertThat(QuarantineOutput.counts(counts, Set.of())).isEqualTo("1,003 user records: DUPLICATE_TRIP 1,000, MALFORMED_JSON 1, OUT_OF_RANGE 2");
        assertThat(QuarantineOutput.counts(counts, Set.of("MALFORMED_JSON"))).isEqualTo("1 user record: MALFORMED_JSON 1");
    }
}
