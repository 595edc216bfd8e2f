package dev.kinesisaggs.esm;

import dev.kinesisaggs.esm.checkpoint.Checkpoint;
import dev.kinesisaggs.esm.checkpoint.DynamoDbCheckpointStore;
import dev.kinesisaggs.esm.checkpoint.MappingInUseException;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.retrieval.KinesisStreamSource;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Restart from checkpoints after the runner's process is killed with SIGKILL. */
@ExtendWith(LocalAwsExtension.class)
class KilledMappingIT {

    @Test
    void afterKillMinus9ANewProcessResumesAfterTheLastCheckpointAndLosesNothing(LocalAws aws, KinesisClient kinesis, @TempDir Path dir) throws Exception {
        String stream = "esm-kill-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, stream);
        List<String> sent = IntStream.range(0, 200).mapToObj(i -> String.format("r%03d", i)).toList();
        for (int from = 0; from < sent.size(); from += 100) {
            List<PutRecordsRequestEntry> entries = sent.subList(from, from + 100).stream()
                    .map(s -> PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String(s)).build()).toList();
            assertThat(kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount()).isZero();
        }
        Path firstRun = dir.resolve("first.txt");
        Path secondRun = dir.resolve("second.txt");

        Process first = startMapping(aws, stream, firstRun);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(firstRun).size() >= 50);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            first.destroyForcibly();
        }
        List<String> beforeKill = lines(firstRun);
        Checkpoint atKill = new DynamoDbCheckpointStore(aws.dynamoDb(), "esmCheckpointsIT", Clock.systemUTC())
                .loadByName(stream, "shardId-000000000000").orElseThrow();

        Process second = startMapping(aws, stream, secondRun);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(secondRun).contains("r199"));
            // while it runs (it stays, its records done), the same mapping started in this JVM (as from a second shell)
            // is refused, naming that process
            try (EventSourceMapping twin = EventSourceMapping.builder().config(EventSourceMappingConfig.builder().mappingId(stream)
                            .startingPosition(StartingPosition.TRIM_HORIZON).build())
                    .source(new KinesisStreamSource(kinesis, stream))
                    .checkpoints(new DynamoDbCheckpointStore(aws.dynamoDb(), "esmCheckpointsIT", Clock.systemUTC()))
                    .kinesisHandler((event, context) -> null).build()) {
                assertThatThrownBy(twin::start).isInstanceOf(MappingInUseException.class)
                        .hasMessageContaining("is already running, in pid " + second.pid() + " on this machine");
            }
        } finally {
            second.destroyForcibly();
            second.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> afterRestart = lines(secondRun);

        // nothing lost, in order
        List<String> all = new ArrayList<>(beforeKill);
        all.addAll(afterRestart);
        assertThat(all).containsAll(sent);
        assertThat(afterRestart).isSorted();
        // the second process starts right after the checkpoint: it repeats only what the first one
        // delivered without checkpointing (the batch in flight when it was killed)
        String firstAgain = afterRestart.get(0);
        String checkpointed = kinesis.getRecords(b -> b.shardIterator(kinesis.getShardIterator(i -> i.streamName(stream)
                .shardId("shardId-000000000000").shardIteratorType("AT_SEQUENCE_NUMBER")
                .startingSequenceNumber(atKill.sequenceNumber())).shardIterator()).limit(1)).records().get(0).data().asUtf8String();
        assertThat(firstAgain).isEqualTo(sent.get(sent.indexOf(checkpointed) + 1));
        List<String> repeated = afterRestart.stream().filter(beforeKill::contains).toList();
        assertThat(repeated.size()).isLessThanOrEqualTo(10);
    }

    private static Process startMapping(LocalAws aws, String stream, Path out) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                MappingProcessMain.class.getName(), stream, stream, out.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(aws.environment());
        return pb.start();
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
