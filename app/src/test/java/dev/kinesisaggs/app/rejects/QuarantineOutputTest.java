package dev.kinesisaggs.app.rejects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuarantineOutputTest {

    @Test
    void printableWritesOutWhatATerminalWouldActOnAndCutsAtCodePoints() {
        assertThat(QuarantineOutput.printable("a\nb\tc\u001b[2J\u007f\u0085\u200b\u202e", 100))
                .isEqualTo("a\\u000Ab\\u0009c\\u001B[2J\\u007F\\u0085\\u200B\\u202E");
        // a taxi is one character of two chars: never cut in half, and a lone half is written out
        assertThat(QuarantineOutput.printable("\uD83D\uDE95\uD83D\uDE95x", 2)).isEqualTo("\uD83D\uDE95\uD83D\uDE95...");
        assertThat(QuarantineOutput.printable("x\uD83D", 10)).isEqualTo("x\\uD83D");
        assertThat(QuarantineOutput.printable("abc", 3)).isEqualTo("abc");
        assertThat(QuarantineOutput.printable("", 3)).isEmpty();
    }

    @Test
    void countsNameTheChosenReasonsOnlyInOrder() {
        Map<String, Long> counts = Map.of("OUT_OF_RANGE", 2L, "DUPLICATE_TRIP", 1_000L, "MALFORMED_JSON", 1L);
        assertThat(QuarantineOutput.counts(counts, Set.of())).isEqualTo("1,003 user records: DUPLICATE_TRIP 1,000, MALFORMED_JSON 1, OUT_OF_RANGE 2");
        assertThat(QuarantineOutput.counts(counts, Set.of("MALFORMED_JSON"))).isEqualTo("1 user record: MALFORMED_JSON 1");
    }
}
