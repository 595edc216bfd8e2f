package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.InMemoryStream;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lambda runs one invocation at a time in an execution environment, and so in each handler instance: a handler
 * object given to the mapping in this process is never called by two shards at once. The threaded runner, in real time.
 */
class OneInvocationPerHandlerInstanceTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final int SHARDS = 4;

    /** Counts the calls it is in at once; a handler written for Lambda may keep per-invocation state in its fields. */
    static final class ConcurrencyDetector implements RequestHandler<KinesisEvent, Void> {
        static final AtomicInteger OVERLAPS = new AtomicInteger();
        static final AtomicInteger RECORDS = new AtomicInteger();
        static final AtomicInteger IN_ANY = new AtomicInteger();
        static final AtomicInteger MOST_IN_ANY = new AtomicInteger();
        static final Set<ConcurrencyDetector> INSTANCES = ConcurrentHashMap.newKeySet();
        private final AtomicInteger inThis = new AtomicInteger();

        @Override
        public Void handleRequest(KinesisEvent event, Context context) {
            INSTANCES.add(this);
            if (inThis.incrementAndGet() > 1) {
                OVERLAPS.incrementAndGet();
            }
            MOST_IN_ANY.accumulateAndGet(IN_ANY.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                IN_ANY.decrementAndGet();
                inThis.decrementAndGet();
            }
            RECORDS.addAndGet(event.getRecords().size());
            return null;
        }

        static void reset() {
            OVERLAPS.set(0);
            RECORDS.set(0);
            IN_ANY.set(0);
            MOST_IN_ANY.set(0);
            INSTANCES.clear();
        }
    }

    private static EventSourceMappingConfig config() {
        return EventSourceMappingConfig.builder().startingPosition(StartingPosition.TRIM_HORIZON).batchSize(1)
                .pollInterval(Duration.ofMillis(20)).build();
    }

    private static InMemoryStream streamWithRecords() {
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", SHARDS, CLOCK);
        for (String shard : stream.shardIds()) {
            for (int i = 0; i < 10; i++) {
                stream.append(shard, "r" + i, CLOCK.instant());
            }
        }
        return stream;
    }

    @SuppressWarnings("try") // the mapping runs while the block waits for its effects
    @Test
    void oneHandlerInstanceIsNeverInTwoInvocationsAtOnce() {
        ConcurrencyDetector.reset();
        InMemoryStream stream = streamWithRecords();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config()).source(stream)
                .kinesisHandler(new ConcurrencyDetector()).build().start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> ConcurrencyDetector.RECORDS.get() == SHARDS * 10);
        }
        assertThat(ConcurrencyDetector.OVERLAPS.get()).isZero();
    }

    @SuppressWarnings("try")
    @Test
    void withAHandlerFactoryEachExecutionEnvironmentHasItsOwnInstanceAndTheShardsRunAtOnce() {
        ConcurrencyDetector.reset();
        InMemoryStream stream = streamWithRecords();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config()).source(stream)
                .handlerFactory(ConcurrencyDetector::new).build().start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> ConcurrencyDetector.RECORDS.get() == SHARDS * 10);
        }
        assertThat(ConcurrencyDetector.OVERLAPS.get()).isZero();
        assertThat(ConcurrencyDetector.MOST_IN_ANY.get()).isGreaterThan(1);
        assertThat(ConcurrencyDetector.INSTANCES).hasSizeBetween(2, SHARDS);
    }
}
