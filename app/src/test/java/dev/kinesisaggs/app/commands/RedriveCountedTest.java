package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.aggregates.AggregatesQuery.ShardWindowCount;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What redrive says the aggregates count of a window, before and after it delivers the window again. */
class RedriveCountedTest {

    @Test
    void aWindowCountedInPartSaysHowMany() {
        assertThat(RedriveCommand.counted(new ShardWindowCount(OptionalLong.of(45), 0, false), 80))
                .isEqualTo("the aggregates counted 45 of the 80 records the stream holds");
        assertThat(RedriveCommand.counted(new ShardWindowCount(OptionalLong.empty(), 0, false), 80))
                .isEqualTo("the aggregates counted none of the 80 records the stream holds");
    }

    /** Found by a probe: a second redrive's run ties with the first's, and "1 part of runs not counted" said nothing. */
    @Test
    void partsOfOtherRunsSayWhyTheyAreNotCounted() {
        assertThat(RedriveCommand.counted(new ShardWindowCount(OptionalLong.of(85), 1, false), 85))
                .isEqualTo("the aggregates counted 85 of the 85 records the stream holds (and 1 part of other runs of it, not"
                        + " counted: replaced by a run that covered as many records, or not complete)");
    }

    /**
     * Found by a probe: a window of 10 s redriven with --window 20s is counted under its start by a run that holds the
     * next window's records too; "counted 166 of the 83 records the stream holds" read as a double count.
     */
    @Test
    void aRunOfALongerWindowUnderTheStartIsSaidToBeOne() {
        assertThat(RedriveCommand.counted(new ShardWindowCount(OptionalLong.of(166), 0, false), 83))
                .isEqualTo("the aggregates counted 166 records under this window's start, more than the 83 the stream holds"
                        + " for it: a run of a longer window holds them");
    }

    @Test
    void recordsCountedUnderAnotherWindowLengthAreSaidToBe() {
        assertThat(RedriveCommand.counted(new ShardWindowCount(OptionalLong.empty(), 0, true), 83))
                .isEqualTo("the aggregates count the 83 records the stream holds under a window of another length, whose run"
                        + " holds them");
    }
}
