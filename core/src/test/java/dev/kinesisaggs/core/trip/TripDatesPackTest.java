package dev.kinesisaggs.core.trip;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;
import static java.time.temporal.ChronoField.YEAR;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link TripDates#packCommon} of the producers' form against the JDK's own strict parser of exactly that form. */
class TripDatesPackTest {

    private static final DateTimeFormatter PRODUCER_FORM = new DateTimeFormatterBuilder()
            .appendValue(YEAR, 4).appendLiteral('-').appendValue(MONTH_OF_YEAR, 2).appendLiteral('-')
            .appendValue(DAY_OF_MONTH, 2).appendLiteral('T').appendValue(HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(MINUTE_OF_HOUR, 2).appendLiteral(':').appendValue(SECOND_OF_MINUTE, 2)
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);

    @Test
    void readsTheProducersFormAsTheJdkDoesWhateverByteIsChanged() {
        SplittableRandom random = new SplittableRandom(7);
        int dates = 0;
        for (int round = 0; round < 3_000; round++) {
            byte[] text = String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), 1 + random.nextInt(12),
                    1 + random.nextInt(31), random.nextInt(24), random.nextInt(60), random.nextInt(60))
                    .getBytes(StandardCharsets.US_ASCII);
            dates += agrees(text) ? 1 : 0;
            int position = random.nextInt(19);
            for (int value = 0; value < 256; value++) {
                byte[] changed = text.clone();
                changed[position] = (byte) value;
                agrees(changed);
            }
            // a '9' after a byte that carries (0xFA-0xFF) and the like: two bytes side by side
            byte[] pair = text.clone();
            int at = random.nextInt(18);
            pair[at] = (byte) (0xF0 + random.nextInt(16));
            pair[at + 1] = (byte) ('0' + random.nextInt(10));
            agrees(pair);
        }
        assertThat(dates).as("valid dates among those drawn (the 29th to 31st of some months are not)").isGreaterThan(2_500);
    }

    @Test
    void readsTheFormInsideALargerBufferAtAnyOffset() {
        byte[] buffer = "xx\"2016-02-29T23:59:59\"9999".getBytes(StandardCharsets.US_ASCII);
        long packed = TripDates.packCommon(buffer, 3, 19);
        assertThat(LocalDateTime.of(TripDates.date(packed), TripDates.time(packed)))
                .isEqualTo(LocalDateTime.of(2016, 2, 29, 23, 59, 59));
        byte[] notLeap = "2015-02-29T23:59:59".getBytes(StandardCharsets.US_ASCII);
        assertThat(TripDates.packCommon(notLeap, 0, 19)).isEqualTo(TripDates.NOT_A_DATE);
    }

    /** Asserts that packCommon and the JDK agree on the 19 bytes; whether they are a date. */
    private static boolean agrees(byte[] text) {
        LocalDateTime expected;
        try {
            expected = LocalDateTime.parse(new String(text, StandardCharsets.ISO_8859_1), PRODUCER_FORM);
        } catch (DateTimeParseException notADate) {
            expected = null;
        }
        long packed = TripDates.packCommon(text, 0, 19);
        LocalDateTime actual = packed == TripDates.NOT_A_DATE ? null
                : LocalDateTime.of(TripDates.date(packed), TripDates.time(packed));
        assertThat(actual).as("%s", new String(text, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        return expected != null;
    }
}
