package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.app.dashboard.LagSource;
import dev.kinesisaggs.app.dashboard.ShardLag;
import dev.kinesisaggs.esm.metrics.MappingStatus;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** The dashboard's lag panel fed by the local event source mapping's status. */
public final class MappingLagSource implements LagSource {
    private final Supplier<MappingStatus> status;

    public MappingLagSource(Supplier<MappingStatus> status) {
        this.status = status;
    }

    @Override
    public List<ShardLag> shards() {
        return status.get().shards().stream().map(MappingLagSource::lag).toList();
    }

    static ShardLag lag(ShardStatus s) {
        return new ShardLag(s.shardId(), s.iteratorAgeMillis(), s.recordsIn(), s.invocations(), s.failedInvocations(),
                s.windowStart().map(start -> start + "/" + s.windowEnd().map(Instant::toString).orElse("?")),
                s.lastCheckpoint());
    }
}
