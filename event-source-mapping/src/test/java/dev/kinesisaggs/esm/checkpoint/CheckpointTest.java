package dev.kinesisaggs.esm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.esm.retrieval.ShardPosition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Test
    void everyFormReadsBackAsStoredAndSaysWhereToResume() {
        Checkpoint atTime = Checkpoint.startsAt(ShardPosition.atTimestamp(Instant.parse("2026-12-05T17:00:00.123Z")));
        assertThat(atTime.stored()).isEqualTo("AT_TIMESTAMP:2026-12-05T17:00:00.123Z");
        assertThat(Checkpoint.parse(atTime.stored())).isEqualTo(atTime);
        assertThat(atTime.processed()).isFalse();
        assertThat(atTime.resumeAt()).isEqualTo(ShardPosition.atTimestamp(Instant.parse("2026-12-05T17:00:00.123Z")));

        Checkpoint atRecord = Checkpoint.startsAt(ShardPosition.atSequenceNumber("4959"));
        assertThat(atRecord.stored()).isEqualTo("AT_SEQUENCE_NUMBER:4959");
        assertThat(Checkpoint.parse(atRecord.stored())).isEqualTo(atRecord);
        assertThat(atRecord.resumeAt()).isEqualTo(ShardPosition.atSequenceNumber("4959"));

        Checkpoint at = Checkpoint.at("49590338271490256608559692538361571095921575989136588898");
        assertThat(Checkpoint.parse(at.stored())).isEqualTo(at);
        assertThat(at.processed()).isTrue();
        assertThat(at.resumeAt()).isEqualTo(ShardPosition.after("49590338271490256608559692538361571095921575989136588898"));
        assertThat(Checkpoint.parse("SHARD_END")).isEqualTo(Checkpoint.shardEnd());
        assertThat(Checkpoint.shardEnd().processed()).isTrue();
    }

    @Test
    void aStartThatIsNoInstantOrNoNumberIsRefused() {
        assertThatThrownBy(() -> Checkpoint.parse("AT_TIMESTAMP:yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a checkpoint: AT_TIMESTAMP:yesterday");
        assertThatThrownBy(() -> Checkpoint.parse("AT_SEQUENCE_NUMBER:x1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.startsAt(ShardPosition.latest())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("4959", false, ShardPosition.atSequenceNumber("4959"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint(null, true, ShardPosition.atSequenceNumber("4959"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("4959", true, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
