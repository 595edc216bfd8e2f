package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.testing.EsmTestDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.kinesisaggs.esm.TestHandlers.describe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints belong to one mapping: AWS gives each event source mapping a UUID, so two mappings never share their
 * position in a stream, even under the same name, on streams whose shards have the same ids, or for two functions on
 * one stream.
 */
class MappingIdentityTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final String ACCOUNT = "arn:aws:kinesis:us-east-1:000000000000:stream/";

    private static EsmTestDriver mapping(InMemoryCheckpointStore shared, String streamArn, String functionArn) {
        // the same (default) mapping name for both
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON)
                .functionArn(functionArn).build();
        return EsmTestDriver.builder().config(config).streamArn(streamArn).checkpoints(shared).start(T0)
                .kinesisHandler(TestHandlers.accepting()).build();
    }

    @Test
    void twoMappingsOnStreamsWithTheSameShardIdsDoNotShareCheckpoints() {
        InMemoryCheckpointStore shared = new InMemoryCheckpointStore();
        String function = "arn:aws:lambda:us-east-1:000000000000:function:f";
        EsmTestDriver first = mapping(shared, ACCOUNT + "trips", function);
        first.append("a1", 1);
        first.append("a2", 1);
        first.advance(Duration.ofSeconds(5));

        EsmTestDriver second = mapping(shared, ACCOUNT + "fares", function);
        assertThat(second.shard(0)).isEqualTo(first.shard(0));
        second.append("b1", 1);
        second.append("b2", 1);
        second.advance(Duration.ofSeconds(5));

        assertThat(describe(first.invocations())).containsExactly("[a1,a2]");
        assertThat(describe(second.invocations())).containsExactly("[b1,b2]");
    }

    @Test
    void twoFunctionsOnOneStreamDoNotShareCheckpoints() {
        InMemoryCheckpointStore shared = new InMemoryCheckpointStore();
        EsmTestDriver first = mapping(shared, ACCOUNT + "trips", "arn:aws:lambda:us-east-1:000000000000:function:aggregate");
        EsmTestDriver second = mapping(shared, ACCOUNT + "trips", "arn:aws:lambda:us-east-1:000000000000:function:archive");
        for (EsmTestDriver d : new EsmTestDriver[] {first, second}) {
            d.append("a1", 1);
            d.append("a2", 1);
        }
        first.advance(Duration.ofSeconds(5));
        second.advance(Duration.ofSeconds(5));

        assertThat(describe(first.invocations())).containsExactly("[a1,a2]");
        assertThat(describe(second.invocations())).containsExactly("[a1,a2]");
    }
}
