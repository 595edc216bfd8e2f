package dev.kinesisaggs.producer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.core.kpl.KplFormat;
import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Backoff.Jitter;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import dev.kinesisaggs.producer.Producer;
import dev.kinesisaggs.producer.ProducerListener;
import dev.kinesisaggs.producer.ProducerOptions;
import dev.kinesisaggs.producer.ProducerSummary;
import dev.kinesisaggs.producer.ProducerTiming;
import dev.kinesisaggs.producer.send.KplAggregatingPacker;
import dev.kinesisaggs.producer.send.OneRecordPerTrip;
import dev.kinesisaggs.producer.send.PutRetries;
import dev.kinesisaggs.producer.send.RecordPacker;
import dev.kinesisaggs.producer.send.SendCounts;
import dev.kinesisaggs.producer.send.ShardMap;
import dev.kinesisaggs.producer.send.Ticker;
import dev.kinesisaggs.producer.source.SyntheticTripSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Partial failures of PutRecords against the real Kinesis emulator: an SDK interceptor takes chosen entries out of
 * real requests and reports them failed in the real responses, as a throttled shard would.
 */
@ExtendWith(LocalAwsExtension.class)
class PutRecordsRetryIT {

    private static final String THROTTLED = "ProvisionedThroughputExceededException";
    private static final String INTERNAL = "InternalFailure";
    private static final long SEED = 11;

    private final RecordingSleeper sleeper = new RecordingSleeper();

    private ProducerSummary produce(KinesisClient kinesis, String stream, int trips, RecordPacker packer, PutRetries retries) {
        ProducerOptions options = ProducerOptions.defaults(stream)
                .withAggregation(!(packer instanceof OneRecordPerTrip))
                .withMaxTrips(trips)
                .withRetries(retries)
                .withMaxBufferTime(Duration.ofMinutes(1)); // batches are cut by size only, whatever the machine's speed
        ProducerTiming timing = new ProducerTiming(Ticker.system(), sleeper, Clock.systemUTC(), new SplittableRandom(1));
        return new Producer(kinesis, () -> new SyntheticTripSource(SEED), options, ProducerListener.NONE,
                TripJson::toBytes, packer, timing).run();
    }

    private static List<Trip> generated(int n) {
        SyntheticTripSource source = new SyntheticTripSource(SEED);
        List<Trip> trips = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            trips.add(source.nextTrip());
        }
        return trips;
    }

    private static KinesisClient failingClient(LocalAwsClients clients, FailingEntries failing) {
        return clients.newKinesisClient(ClientOverrideConfiguration.builder().addExecutionInterceptor(failing).build());
    }

    @Test
    void onlyFailedEntriesAreSentAgainAndEveryTripArrivesOnceInOrderWithinItsBatch(
            LocalAwsClients clients, KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "retry", 2);
        FailingEntries failing = new FailingEntries(TestStreams.create(kinesis, "discard", 1));
        List<Trip> trips = generated(1200);
        int throttledOnce = 0;
        int failedTwice = 0;
        for (int i = 0; i < trips.size(); i++) {
            if (i % 21 == 0) {
                failing.failTimes(trips.get(i).id(), 2, INTERNAL);
                failedTwice++;
            } else if (i % 7 == 0) {
                failing.failTimes(trips.get(i).id(), 1, THROTTLED);
                throttledOnce++;
            }
        }

        ProducerSummary summary;
        try (KinesisClient client = failingClient(clients, failing)) {
            summary = produce(client, stream, 1200, new OneRecordPerTrip(), PutRetries.DEFAULT);
        }

        SendCounts counts = summary.progress().send();
        assertThat(summary.stoppedBecause()).isEqualTo(ProducerSummary.StopReason.MAX_TRIPS);
        assertThat(counts.sentTrips()).isEqualTo(1200);
        assertThat(counts.failedTrips()).isZero();
        assertThat(counts.retriedRecords()).isEqualTo(throttledOnce + 2L * failedTwice).isEqualTo(failing.injected());
        assertThat(counts.failuresByError()).isEqualTo(Map.of(THROTTLED, (long) throttledOnce, INTERNAL, 2L * failedTwice));
        // batches of 500, 500 and 200, each sent three times: whole, its failed entries, the twice-failed ones
        assertThat(counts.requests()).isEqualTo(9);
        assertThat(sleeper.sleeps).hasSize(6);
        for (int i = 0; i < 6; i += 2) {
            assertThat(sleeper.sleeps.get(i)).isBetween(50_000_000L, 100_000_000L);
            assertThat(sleeper.sleeps.get(i + 1)).isBetween(100_000_000L, 200_000_000L);
        }

        List<StreamContents.ReadTrip> read = StreamContents.read(kinesis, stream);
        Map<String, Integer> sentIndex = new HashMap<>();
        for (int i = 0; i < trips.size(); i++) {
            sentIndex.put(trips.get(i).id(), i);
        }
        assertThat(read).extracting(StreamContents.ReadTrip::partitionKey).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sentIndex.keySet());
        TripParser parser = new TripParser();
        for (StreamContents.ReadTrip r : read) {
            assertThat(parser.parse(r.data())).isEqualTo(trips.get(sentIndex.get(r.partitionKey())));
            assertThat(KplFormat.hashKeyOf(r.partitionKey())).isBetween(r.hashKeyStart(), r.hashKeyEnd());
        }

        // What PutRecordsSender promises about order, per shard: trips sent once keep their order, and a retried
        // trip lands after the once-sent trips of its batch but before any trip of a later batch.
        Map<String, List<Integer>> perShard = read.stream().collect(Collectors.groupingBy(StreamContents.ReadTrip::shardId,
                Collectors.mapping(r -> sentIndex.get(r.partitionKey()), Collectors.toList())));
        assertThat(perShard).hasSize(2);
        for (List<Integer> order : perShard.values()) {
            List<Integer> once = order.stream().filter(i -> i % 7 != 0).toList();
            assertThat(once).isSorted();
            for (int pos = 0; pos < order.size(); pos++) {
                int batch = order.get(pos) / 500;
                for (int later = pos + 1; later < order.size(); later++) {
                    assertThat(order.get(later) / 500).as("batch of the trip after trip %d", order.get(pos)).isGreaterThanOrEqualTo(batch);
                }
            }
        }
    }

    @Test
    void anEntryThatKeepsFailingIsGivenUpAfterTheLastAttemptAndCounted(LocalAwsClients clients, KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "give-up", 1);
        FailingEntries failing = new FailingEntries(TestStreams.create(kinesis, "discard", 1));
        List<Trip> trips = generated(300);
        Set<String> doomed = Set.of(trips.get(5).id(), trips.get(150).id(), trips.get(299).id());
        doomed.forEach(id -> failing.failTimes(id, 1000, THROTTLED));
        failing.failTimes(trips.get(7).id(), 1, "KMSAccessDeniedException"); // not worth a retry

        ProducerSummary summary;
        try (KinesisClient client = failingClient(clients, failing)) {
            summary = produce(client, stream, 300, new OneRecordPerTrip(),
                    new PutRetries(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), Jitter.EQUAL), 3));
        }

        SendCounts counts = summary.progress().send();
        assertThat(counts.sentTrips()).isEqualTo(296);
        assertThat(counts.failedTrips()).isEqualTo(4);
        assertThat(counts.retriedRecords()).isEqualTo(3 * 2);
        assertThat(counts.failuresByError()).isEqualTo(Map.of(THROTTLED, 9L, "KMSAccessDeniedException", 1L));
        assertThat(summary.progress().buffered()).isZero();

        Set<String> expected = new HashSet<>();
        trips.forEach(t -> expected.add(t.id()));
        expected.removeAll(doomed);
        expected.remove(trips.get(7).id());
        assertThat(StreamContents.read(kinesis, stream)).extracting(StreamContents.ReadTrip::partitionKey)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void failedAggregatesAreSentAgainWholeAndEveryTripLandsOnItsOwnShard(LocalAwsClients clients, KinesisClient kinesis) {
        String stream = TestStreams.create(kinesis, "retry-kpl", 3);
        FailingEntries failing = new FailingEntries(TestStreams.create(kinesis, "discard", 1))
                .failEveryNthEntryOfCall(1, 3, THROTTLED)
                .failEveryNthEntryOfCall(2, 2, INTERNAL);
        List<Trip> trips = generated(5000);

        ProducerSummary summary;
        try (KinesisClient client = failingClient(clients, failing)) {
            summary = produce(client, stream, 5000, new KplAggregatingPacker(ShardMap.of(kinesis, stream)), PutRetries.DEFAULT);
        }

        SendCounts counts = summary.progress().send();
        assertThat(counts.sentTrips()).isEqualTo(5000);
        assertThat(counts.failedTrips()).isZero();
        assertThat(counts.retriedRecords()).isEqualTo(failing.injected()).isPositive();
        assertThat(counts.sentRecords()).isLessThan(5000 / 50);

        List<StreamContents.ReadTrip> read = StreamContents.read(kinesis, stream);
        assertThat(read).extracting(StreamContents.ReadTrip::partitionKey).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(trips.stream().map(Trip::id).toList());
        assertThat(read).allSatisfy(r -> {
            assertThat(r.aggregated()).isTrue();
            assertThat(KplFormat.hashKeyOf(r.partitionKey())).isBetween(r.hashKeyStart(), r.hashKeyEnd());
        });
    }
}
