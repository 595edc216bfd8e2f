package dev.kinesisaggs.esm.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Which windows a redrive delivers again, from the on-failure records alone, and which it cannot read (no call is made). */
class WindowRedriveTest {

    private static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/taxi-trips";

    // never called: grouping records by window reads nothing
    private final KinesisClient kinesis = KinesisClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
            .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create()).build();

    @AfterEach
    void close() {
        kinesis.close();
    }

    private WindowRedrive redrive(int windowSeconds) {
        return new WindowRedrive(kinesis, (lane, event) -> {
            throw new AssertionError("no invocation expected");
        }, "us-east-1", "arn:aws:iam::000000000000:role/r", windowSeconds, 1000);
    }

    private static FailureRecord failed(String shard, String first, String last) {
        return new FailureRecord(STREAM_ARN, shard, "100", "200", Instant.parse(first), Instant.parse(last), 10,
                "RetryAttemptsExhausted");
    }

    @Test
    void eachRecordIsRedrivenInTheWindowItsArrivalsFallIn() {
        FailureRecord a = failed("shardId-000000000000", "2020-12-09T07:04:01Z", "2020-12-09T07:04:29.999Z");
        FailureRecord b = failed("shardId-000000000000", "2020-12-09T07:04:10Z", "2020-12-09T07:04:12Z");
        FailureRecord c = failed("shardId-000000000001", "2020-12-09T07:04:31Z", "2020-12-09T07:04:35Z");

        Map<WindowRedrive.ShardWindow, List<FailureRecord>> windows = redrive(30).byWindow(List.of(a, b, c), Optional.empty());

        TimeWindow first = new TimeWindow(Instant.parse("2020-12-09T07:04:00Z"), Instant.parse("2020-12-09T07:04:30Z"));
        TimeWindow second = new TimeWindow(Instant.parse("2020-12-09T07:04:30Z"), Instant.parse("2020-12-09T07:05:00Z"));
        assertThat(windows).containsExactly(
                Map.entry(new WindowRedrive.ShardWindow(STREAM_ARN, "shardId-000000000000", first), List.of(a, b)),
                Map.entry(new WindowRedrive.ShardWindow(STREAM_ARN, "shardId-000000000001", second), List.of(c)));
    }

    @Test
    void aRecordWhoseArrivalsSpanTwoWindowsOfTheSizeGivenMeansTheMappingHadAnotherSize() {
        // a batch of the mapping's 30 s window, redriven with --window 10s: delivered as 10 s windows, its records
        // would be counted under windows the mapping never had (and the later ones reported as gone from the stream)
        FailureRecord thirtySeconds = failed("shardId-000000000000", "2020-12-09T07:04:05Z", "2020-12-09T07:04:25Z");

        WindowRedrive.requireOneWindowEach(List.of(thirtySeconds), 30);
        assertThatThrownBy(() -> WindowRedrive.requireOneWindowEach(List.of(thirtySeconds), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The on-failure record of shardId-000000000000 from 100 holds records that arrived from"
                        + " 2020-12-09T07:04:05Z to 2020-12-09T07:04:25Z, in more than one 10 s window, which a batch of a tumbling"
                        + " window never does: give the mapping's TumblingWindowInSeconds with --window");
    }

    @Test
    void aRecordThatSpansWindowsAfterAllIsRedrivenInEachAndOnlyItsFirstWindowCanMissItsStart() {
        // AWS does not document that its own records never span windows: if one does, each window it touches is
        // delivered again whole, which counts every record once whatever the record held
        FailureRecord spanning = failed("shardId-000000000000", "2020-12-09T07:04:25Z", "2020-12-09T07:04:35Z");

        Map<WindowRedrive.ShardWindow, List<FailureRecord>> windows = redrive(30).byWindow(List.of(spanning), Optional.empty());

        assertThat(windows.keySet()).extracting(w -> w.window().start().toString())
                .containsExactly("2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z");
        List<WindowRedrive.ShardWindow> both = List.copyOf(windows.keySet());
        // the second window holds records 150 to 200 of the range, not its start: that is not a record gone
        StreamRecord later = new StreamRecord("shardId-000000000000", "150", "k", new byte[0], Instant.parse("2020-12-09T07:04:31Z"));
        assertThat(WindowRedrive.held(spanning, both.get(1), List.of(later)).missingBefore()).isEmpty();
        // the first window without the range's first record: that one is gone
        assertThat(WindowRedrive.held(spanning, both.get(0), List.of()).missingBefore()).isPresent();
    }

    @Test
    void eachWindowsEventsNameItsOwnStreamAndAStreamGivenKeepsTheRecordsRegionAndAccount() {
        // the events named the first record's stream for every window: wrong for a function that reads eventSourceARN
        String otherArn = "arn:aws:kinesis:eu-west-1:111111111111:stream/other";
        FailureRecord other = new FailureRecord(otherArn, "shardId-000000000000", "100", "200",
                Instant.parse("2020-12-09T07:04:01Z"), Instant.parse("2020-12-09T07:04:02Z"), 10, "RetryAttemptsExhausted");
        List<String> named = new ArrayList<>();
        WindowRedrive redrive = new WindowRedrive(kinesis, (lane, event) -> {
            try {
                named.add(EventJson.mapper().readTree(event).get("eventSourceARN").asText());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new InvocationResult.Returned("request", Duration.ZERO, "{\"state\":{}}");
        }, "us-east-1", "arn:aws:iam::000000000000:role/r", 30, 1000);

        for (WindowRedrive.ShardWindow w : redrive.byWindow(List.of(
                failed("shardId-000000000000", "2020-12-09T07:04:01Z", "2020-12-09T07:04:02Z"), other), Optional.empty()).keySet()) {
            assertThat(redrive.deliver(w, List.of()).failure()).isEmpty();
        }

        assertThat(named).containsExactly(STREAM_ARN, otherArn);
        assertThat(redrive.byWindow(List.of(other), Optional.of("copy")).keySet()).extracting(WindowRedrive.ShardWindow::streamArn)
                .containsExactly("arn:aws:kinesis:eu-west-1:111111111111:stream/copy");
    }

    @Test
    void aShardOrStreamNameKinesisCannotHaveIsNoSuchShardWithoutAsking() {
        // an ARN without "/stream/" leaves its whole text as the stream's name; Kinesis would refuse it as invalid
        TimeWindow w = TimeWindow.containing(Instant.parse("2020-12-09T07:04:01Z"), 30);

        assertThat(redrive(30).read(new WindowRedrive.ShardWindow("arn:aws:kinesis:us-east-1:0:stream:x", "shardId-000000000000", w)))
                .isEqualTo(new WindowRedrive.NoSuchShard("shard shardId-000000000000 of stream arn:aws:kinesis:us-east-1:0:stream:x does not"
                        + " exist (Kinesis names a stream or a shard with letters, digits, '_', '.' and '-' only)"));
        assertThat(redrive(30).read(new WindowRedrive.ShardWindow("taxi-trips", "shard/0", w))).isInstanceOf(WindowRedrive.NoSuchShard.class);
    }
}
