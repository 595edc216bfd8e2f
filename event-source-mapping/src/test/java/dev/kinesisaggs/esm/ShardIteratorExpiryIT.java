package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import dev.kinesisaggs.esm.retrieval.ReadResult;
import dev.kinesisaggs.esm.retrieval.ShardPosition;
import dev.kinesisaggs.esm.retrieval.ShardReader;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shard iterators expire (five minutes on AWS; a shard blocked on retries, or a laptop asleep, outlives
 * them). Against the Kinesis emulator, an interceptor turns chosen real GetRecords answers into
 * {@code ExpiredIteratorException}, as Kinesis sends it: nothing is lost, nothing is read twice.
 */
@ExtendWith(LocalAwsExtension.class)
class ShardIteratorExpiryIT {

    /** Replaces the answer of the chosen GetRecords calls (counted from 1) with Kinesis's ExpiredIteratorException. */
    static final class ExpiringGetRecords implements ExecutionInterceptor {
        private static final ExecutionAttribute<Boolean> EXPIRE = new ExecutionAttribute<>("expireThisGetRecords");
        final AtomicInteger getRecordsCalls = new AtomicInteger();
        final List<GetShardIteratorRequest> iteratorRequests = new CopyOnWriteArrayList<>();
        volatile IntPredicate expire = call -> false;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetShardIteratorRequest r) {
                iteratorRequests.add(r);
            }
            if (context.request() instanceof GetRecordsRequest) {
                attributes.putAttribute(EXPIRE, expire.test(getRecordsCalls.incrementAndGet()));
            }
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!Boolean.TRUE.equals(attributes.getAttribute(EXPIRE))) {
                return context.httpResponse();
            }
            return context.httpResponse().toBuilder().statusCode(400).statusText("Bad Request")
                    .removeHeader("x-amzn-ErrorType").putHeader("Content-Type", "application/x-amz-json-1.1").build();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!Boolean.TRUE.equals(attributes.getAttribute(EXPIRE))) {
                return context.responseBody();
            }
            String body = "{\"__type\":\"ExpiredIteratorException\",\"message\":\"Iterator expired. The iterator was created at time (injected)\"}";
            return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }

        List<ShardIteratorType> iteratorTypes() {
            return iteratorRequests.stream().map(GetShardIteratorRequest::shardIteratorType).toList();
        }
    }

    private final ExpiringGetRecords expiring = new ExpiringGetRecords();
    private KinesisClient kinesis;
    private String stream;

    @BeforeEach
    void createStream(LocalAwsClients clients) {
        kinesis = clients.newKinesisClient(ClientOverrideConfiguration.builder().addExecutionInterceptor(expiring).build());
        stream = "esm-expiry-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
    }

    @AfterEach
    void closeClient() {
        kinesis.close();
    }

    private List<String> put(String prefix, int count) {
        List<String> data = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        List<PutRecordsRequestEntry> entries = data.stream().map(d -> PutRecordsRequestEntry.builder().partitionKey("k")
                .data(SdkBytes.fromString(d, StandardCharsets.UTF_8)).build()).toList();
        assertThat(kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount()).isZero();
        return data;
    }

    private ShardReader reader(ShardPosition position) {
        KinesisStreamSource source = new KinesisStreamSource(kinesis, stream);
        return source.openReader(source.listShards().get(0).shardId(), position);
    }

    /** One read of up to 100 records, during which the {@code call}-th GetRecords (counted from 1) finds its iterator expired. */
    private ReadResult readExpiringCall(ShardReader reader, int call) {
        expiring.expire = n -> n == call;
        return reader.read(100);
    }

    private static List<String> texts(ReadResult read) {
        return read.records().stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void anIteratorExpiredBeforeAnythingWasReadStartsAgainAtTheOriginalPosition() {
        List<String> sent = put("r", 5);
        ShardReader reader = reader(ShardPosition.trimHorizon());
        ReadResult read = readExpiringCall(reader, 1);

        assertThat(texts(read)).containsExactlyElementsOf(sent);
        assertThat(expiring.iteratorTypes()).containsExactly(ShardIteratorType.TRIM_HORIZON, ShardIteratorType.TRIM_HORIZON);
    }

    @Test
    void anIteratorExpiredBeforeAnythingWasReadAfterACheckpointStartsAgainAfterTheCheckpoint() {
        put("r", 5);
        ShardReader first = reader(ShardPosition.trimHorizon());
        List<StreamRecord> all = first.read(100).records();
        expiring.iteratorRequests.clear();
        ShardReader reader = reader(ShardPosition.after(all.get(1).sequenceNumber()));
        ReadResult read = readExpiringCall(reader, 2);

        assertThat(texts(read)).containsExactly("r2", "r3", "r4");
        assertThat(expiring.iteratorRequests).extracting(GetShardIteratorRequest::shardIteratorType, GetShardIteratorRequest::startingSequenceNumber)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(ShardIteratorType.AFTER_SEQUENCE_NUMBER, all.get(1).sequenceNumber()))
                .hasSize(2);
    }

    @Test
    void aLatestIteratorExpiredBeforeAnythingWasReadLosesNothingThatArrivedSinceTheMappingStarted() throws InterruptedException {
        List<String> before = put("before", 3);
        Thread.sleep(20); // the "before" records arrive strictly before the mapping looks
        ShardReader reader = reader(ShardPosition.latest());
        assertThat(reader.read(100).records()).isEmpty();
        List<String> sent = put("after", 4);
        ReadResult read = readExpiringCall(reader, 2);

        // a new LATEST iterator would skip the four records: the reader starts again from where LATEST was taken, less
        // a 5 s margin for a local clock ahead of Kinesis, so the "before" records, 20 ms older, come too
        List<String> expected = new java.util.ArrayList<>(before);
        expected.addAll(sent);
        assertThat(texts(read)).containsExactlyElementsOf(expected);
        assertThat(expiring.iteratorTypes()).containsExactly(ShardIteratorType.LATEST, ShardIteratorType.AT_TIMESTAMP);
    }

    @Test
    void anAtTimestampReaderOfAShardWithNothingAtOrAfterItIsAnsweredAndThenGetsExactlyTheRecordsFromIt() throws InterruptedException {
        // found by a review: kinesalite, the default emulator, answers AT_TIMESTAMP only once a record is at or after it,
        // and a mapping started again from the start it saved (LATEST, nothing read) hung on a quiet shard
        put("before", 3);
        Thread.sleep(50);
        Instant at = Instant.now();
        Thread.sleep(50);
        ShardReader reader = reader(ShardPosition.atTimestamp(at));
        long started = System.nanoTime();

        assertThat(reader.read(100).records()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered, not hanging").isLessThan(Duration.ofSeconds(15));
        List<String> after = put("after", 4);
        assertThat(texts(reader.read(100))).containsExactlyElementsOf(after);
    }

    @Test
    void anIteratorExpiredMidStreamResumesRightAfterTheLastRecordRead() {
        List<String> sent = put("r", 10);
        ShardReader reader = reader(ShardPosition.trimHorizon());
        List<StreamRecord> firstFour = reader.read(4).records();
        expiring.expire = call -> call == 2;

        List<String> read = new ArrayList<>(firstFour.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList());
        read.addAll(texts(reader.read(4)));
        read.addAll(texts(reader.read(4)));

        assertThat(read).containsExactlyElementsOf(sent);
        assertThat(expiring.iteratorRequests).hasSize(2);
        assertThat(expiring.iteratorRequests.get(1).shardIteratorType()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
        assertThat(expiring.iteratorRequests.get(1).startingSequenceNumber()).isEqualTo(firstFour.get(3).sequenceNumber());
    }

    @Test
    void theMappingDeliversEveryRecordOnceInOrderWhileEveryOtherGetRecordsFindsItsIteratorExpired() {
        expiring.expire = call -> call % 2 == 1;
        List<String> delivered = new CopyOnWriteArrayList<>();
        List<String> sent = new ArrayList<>();
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().mappingId(stream)
                .startingPosition(StartingPosition.TRIM_HORIZON).pollInterval(Duration.ofMillis(100)).batchSize(7).build();
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(new KinesisStreamSource(kinesis, stream))
                .kinesisHandler((event, context) -> {
                    event.getRecords().forEach(r -> delivered.add(TestHandlers.text(r)));
                    return null;
                }).build().start()) {
            for (int burst = 0; burst < 4; burst++) {
                sent.addAll(put("b" + burst + "-", 15));
                int expected = sent.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() >= expected);
            }
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == sent.size());
        }

        assertThat(delivered).containsExactlyElementsOf(sent);
        assertThat(expiring.getRecordsCalls.get()).isGreaterThan(8);
        assertThat(expiring.iteratorTypes()).contains(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
    }

    @Test
    void aLatestIteratorExpiredBeforeAnythingWasReadLosesNothingWhenTheLocalClockIsAheadOfKinesis() {
        java.time.Clock threeSecondsAhead = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofSeconds(3));
        KinesisStreamSource source = new KinesisStreamSource(kinesis, stream, threeSecondsAhead);
        ShardReader reader = source.openReader(source.listShards().get(0).shardId(), ShardPosition.latest());
        assertThat(reader.read(100).records()).isEmpty();
        List<String> sent = put("after", 4); // arrive (Kinesis' clock) before the moment LATEST was taken (local clock)
        expiring.expire = call -> call == 2;

        ReadResult read = reader.read(100);

        assertThat(texts(read)).containsExactlyElementsOf(sent);
    }
}
