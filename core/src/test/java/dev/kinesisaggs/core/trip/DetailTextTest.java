package dev.kinesisaggs.core.trip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetailTextTest {

    private static final String TAXI = "\uD83D\uDE95";

    @Test
    void shortWellFormedTextIsLeftAsItIs() {
        String text = "vendorId \"two\" " + TAXI;
        assertThat(DetailText.cut(text, 40)).isSameAs(text);
    }

    @Test
    void longTextIsCutToTheMaximumWithAnEllipsisAndNeverInsideAPair() {
        assertThat(DetailText.cut("x".repeat(100), 40)).isEqualTo("x".repeat(37) + "...");
        // 37 chars would end on the high half of the 19th pair: the pair is left out whole
        assertThat(DetailText.cut(TAXI.repeat(50), 40)).isEqualTo(TAXI.repeat(18) + "...");
        assertThat(DetailText.cut("a" + TAXI.repeat(50), 40)).isEqualTo("a" + TAXI.repeat(18) + "...");
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacterWhereverTheyAre() {
        assertThat(DetailText.wellFormed("a\uD800b")).isEqualTo("a\uFFFDb");
        assertThat(DetailText.wellFormed("\uDE95" + TAXI + "\uD83D")).isEqualTo("\uFFFD" + TAXI + "\uFFFD");
        assertThat(DetailText.wellFormed("\uDE95\uD83D")).as("a low half before a high half is no pair").isEqualTo("\uFFFD\uFFFD");
        assertThat(DetailText.cut("\uD800".repeat(100), 10)).isEqualTo("\uFFFD".repeat(7) + "...");
    }
}
