package dev.kinesisaggs.esm.redrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.emulators.ElasticMq;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The on-failure records as redrive reads them: as this mapping (and AWS) writes them, from a file or from an SQS queue
 * (ElasticMQ, spoken to with the SDK's own client), with what is not such a record named and left alone.
 */
class FailureRecordSourceTest {

    private static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/taxi-trips";
    private static ElasticMq elasticMq;
    private static SqsClient sqs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startElasticMq() {
        elasticMq = ElasticMq.start("123456789012");
        sqs = elasticMq.sqs();
    }

    @AfterAll
    static void stopElasticMq() {
        if (elasticMq != null) {
            elasticMq.close();
        }
    }

    private static StreamRecord record(String seq, String arrival) {
        return new StreamRecord("shardId-000000000001", seq, "pk", new byte[0], Instant.parse(arrival));
    }

    /** A record as the destination writes it: a batch of {@code size} records from first to last. */
    private static String written(String first, String last, int size) {
        return EventJson.write(FailureRecords.of("req-1", "arn:aws:lambda:us-east-1:123456789012:function:f",
                FailureRecords.RETRY_ATTEMPTS_EXHAUSTED, 3, Optional.of(Optional.of("Unhandled")), Instant.parse("2026-12-03T10:00:00Z"),
                STREAM_ARN, record(first, "2026-12-03T09:59:01.250Z"), record(last, "2026-12-03T09:59:45Z"), size));
    }

    @Test
    void readsTheRecordTheDestinationWrites() {
        FailureRecord r = FailureRecord.parse(written("100", "250", 7));

        assertThat(r).isEqualTo(new FailureRecord(STREAM_ARN, "shardId-000000000001", "100", "250",
                Instant.parse("2026-12-03T09:59:01.250Z"), Instant.parse("2026-12-03T09:59:45Z"), 7, "RetryAttemptsExhausted"));
        assertThat(r.streamName()).isEqualTo("taxi-trips");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json|{oops|it is not JSON",
            "another record|{\"Records\":[]}|it has no KinesisBatchInfo",
            "no shard|{\"KinesisBatchInfo\":{\"startSequenceNumber\":\"1\"}}|its KinesisBatchInfo has no shardId",
            "letters|{\"KinesisBatchInfo\":{\"shardId\":\"s\",\"startSequenceNumber\":\"1x\"}}|its startSequenceNumber \"1x\" is not a sequence number",
            "reversed|{\"KinesisBatchInfo\":{\"shardId\":\"s\",\"startSequenceNumber\":\"9\",\"endSequenceNumber\":\"1\"}}|its endSequenceNumber is before its startSequenceNumber"})
    void whatIsNotSuchARecordIsOneSentence(String what, String json, String message) {
        assertThatThrownBy(() -> FailureRecord.parse(json)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void aFileIsReadLineByLineAndItsUnreadableLinesAreNamed() throws Exception {
        Path file = Files.write(dir.resolve("failures.jsonl"), List.of(written("1", "5", 5), "", "garbage", written("6", "9", 4)));

        List<FailureRecordSource.Pending> pending = FailureRecordSource.file(file).read();

        assertThat(pending).extracting(FailureRecordSource.Pending::origin)
                .containsExactly("failures.jsonl line 1", "failures.jsonl line 3", "failures.jsonl line 4");
        assertThat(pending.get(1).record()).isNull();
        assertThat(pending.get(1).unreadable()).startsWith("it is not JSON");
        assertThat(pending.get(2).record().startSequenceNumber()).isEqualTo("6");
    }

    @Test
    void aLineThatIsNotUtf8IsNamedAsALineThatIsNotJsonIsAndTheOthersAreRead() throws Exception {
        // a Latin-1 "é" (0xE9 alone is no UTF-8) in the middle line: it once failed the whole file, naming no line
        byte[] latin1 = "{\"caf\u00e9\":1}".getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes((written("1", "5", 5) + "\r\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(latin1);
        file.writeBytes(("\n" + written("6", "9", 4) + "\n").getBytes(StandardCharsets.UTF_8));
        Path path = Files.write(dir.resolve("failures.jsonl"), file.toByteArray());

        List<FailureRecordSource.Pending> pending = FailureRecordSource.file(path).read();

        assertThat(pending).extracting(FailureRecordSource.Pending::origin)
                .containsExactly("failures.jsonl line 1", "failures.jsonl line 2", "failures.jsonl line 3");
        assertThat(pending.get(1).record()).isNull();
        assertThat(pending.get(1).unreadable()).isEqualTo("it is not UTF-8 text");
        assertThat(pending).extracting(p -> p.record() == null ? null : p.record().startSequenceNumber()).containsExactly("1", null, "6");
    }

    @Test
    void aQueueIsReadToItsEndAndARedrivenMessageIsDeleted() {
        String queue = sqs.createQueue(b -> b.queueName("failures-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
        for (int i = 0; i < 23; i++) {
            String body = written(Integer.toString(100 * i), Integer.toString(100 * i + 50), 51);
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        }

        List<FailureRecordSource.Pending> pending = FailureRecordSource.queue(sqs, queue, 30).read();
        assertThat(pending).hasSize(23).allMatch(p -> p.record() != null);
        List<String> starts = new ArrayList<>();
        pending.forEach(p -> starts.add(p.record().startSequenceNumber()));
        assertThat(starts).doesNotHaveDuplicates();
        pending.subList(0, 20).forEach(p -> p.redriven().run());

        // the three not redriven come back once their visibility timeout is over; the others are gone
        assertThat(Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings().get("ApproximateNumberOfMessagesNotVisible"))).isEqualTo(3);
    }

    @Test
    void whatTheStreamStillHoldsOfARangeIsTold() {
        FailureRecord r = FailureRecord.parse(written("100", "300", 3));
        List<StreamRecord> whole = List.of(record("90", "2026-12-03T09:59:00Z"), record("100", "2026-12-03T09:59:01Z"),
                record("200", "2026-12-03T09:59:02Z"), record("300", "2026-12-03T09:59:03Z"));

        WindowRedrive.ShardWindow w = new WindowRedrive.ShardWindow("taxi-trips", r.shardId(), TimeWindow.containing(r.firstArrival(), 60));

        assertThat(WindowRedrive.held(r, w, whole)).isEqualTo(new WindowRedrive.Held(r, 3, Optional.empty()));
        assertThat(WindowRedrive.held(r, w, whole.subList(2, 4)).missingBefore()).hasValue("100 up to 200 (not included)");
        assertThat(WindowRedrive.held(r, w, List.of()).missingBefore()).hasValue("all of it (100 to 300)");
    }
}
