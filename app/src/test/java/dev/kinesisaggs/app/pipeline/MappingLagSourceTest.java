package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.dashboard.ShardLag;
import dev.kinesisaggs.esm.metrics.MappingStatus;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MappingLagSourceTest {

    @Test
    void eachShardOfTheMappingIsALineOfTheLagPanel() {
        Instant start = Instant.parse("2026-11-27T12:00:00Z");
        ShardStatus open = new ShardStatus("shardId-000000000000", "PROCESSING", Optional.of(start),
                Optional.of(start.plusSeconds(30)), 120, 14, 1, 0, 3, 850, 0, Optional.of("4968"), "OK");
        ShardStatus idle = new ShardStatus("shardId-000000000001", "PROCESSING", Optional.empty(), Optional.empty(),
                0, 0, 0, 0, 0, 0, 0, Optional.empty(), "No records processed");
        MappingStatus status = new MappingStatus("m", "arn", start, true, List.of(open, idle));

        List<ShardLag> lag = new MappingLagSource(() -> status).shards();

        assertThat(lag).containsExactly(
                new ShardLag("shardId-000000000000", 850, 120, 14, 1,
                        Optional.of("2026-11-27T12:00:00Z/2026-11-27T12:00:30Z"), Optional.of("4968")),
                new ShardLag("shardId-000000000001", 0, 0, 0, 0, Optional.empty(), Optional.empty()));
    }
}
