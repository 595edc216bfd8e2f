package dev.kinesisaggs.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void printableWritesOutWhatATerminalWouldActOnAndCutsAtCodePoints() {
        assertThat(TerminalText.printable("a\nb\tc\u001b[2J\u007f\u0085\u200b\u202e", 100))
                .isEqualTo("a\\u000Ab\\u0009c\\u001B[2J\\u007F\\u0085\\u200B\\u202E");
        // a taxi is one character of two chars: never cut in half, and a lone half is written out
        assertThat(TerminalText.printable("\uD83D\uDE95\uD83D\uDE95x", 2)).isEqualTo("\uD83D\uDE95\uD83D\uDE95...");
        assertThat(TerminalText.printable("x\uD83D", 10)).isEqualTo("x\\uD83D");
        assertThat(TerminalText.printable("abc", 3)).isEqualTo("abc");
        assertThat(TerminalText.printable("", 3)).isEmpty();
    }
}
