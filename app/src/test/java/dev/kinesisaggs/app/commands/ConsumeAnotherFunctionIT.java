package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.app.StopSignal;
import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * {@code consume --function-jar FILE --handler CLASS} runs a Java Lambda artifact that is not ours (a .zip
 * with lib/*.jar and a plain KinesisEvent handler, no windows) under AWS's runtime client: it receives
 * every record as AWS would send it (sequence number, partition key, data, the stream's ARN), compared
 * with the stream read back, and the environment Lambda gives it.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConsumeAnotherFunctionIT {

    /**
     * Emulators of this class only, stopped after it, as PipelineEndToEndIT does: the shared ones of LocalAwsExtension
     * would outlive it in this JVM, where LocalCommandIT checks that no emulator is left.
     */
    private static LocalAws aws;

    @BeforeAll
    static void startEmulators() {
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopEmulators() {
        if (aws != null) {
            aws.close();
        }
    }

    private static final Pattern RECORD = Pattern.compile(" record=(\\d+)/([^/]+)/([^/]*)/(\\S+)");

    @Test
    void consumeRunsAnUnrelatedHandlerArtifactWithTheEventsAwsWouldSend(@TempDir Path dir) throws Exception {
        KinesisClient kinesis = aws.kinesis();
        String stream = stream("another-function", 2);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i).data(SdkBytes.fromUtf8String("data-" + i)).build());
        }
        assertThat(kinesis.putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount()).isZero();
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();

        // what the stream holds: the independent oracle of what the function must receive
        Set<String> onTheStream = new TreeSet<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType("TRIM_HORIZON")).shardIterator();
            kinesis.getRecords(b -> b.shardIterator(iterator)).records().forEach(r ->
                    onTheStream.add(r.sequenceNumber() + "/" + r.partitionKey() + "/" + r.data().asUtf8String() + "/" + streamArn));
        }
        assertThat(onTheStream).hasSize(20);

        Path zip = HandlerArtifact.zip(dir);
        Path functionLog = dir.resolve("function.log");
        CountDownLatch stop = new CountDownLatch(1);
        StringWriter out = new StringWriter();
        CommandLine consume = command(new ConsumeCommand(stop::await, AwsClients.local(aws.clients()), Clock.systemUTC()), out);
        String[] args = {"--stream", stream, "--function-jar", zip.toString(), "--handler", HandlerArtifact.PROBE_HANDLER,
                "--window", "0s", "--starting-position", "TRIM_HORIZON", "--batching-window", "0s", "--memory-size", "256",
                "--environment", "PROBE_OWN=given", "--checkpoint-table", "another-function-checkpoints",
                "--function-log", functionLog.toString()};
        CompletableFuture<Integer> consuming = CompletableFuture.supplyAsync(() -> consume.execute(args));

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .failFast("consume stopped: " + out, consuming::isDone)
                .until(() -> received(functionLog).size() >= 20);
        // the same mapping started again, as from another shell: refused in one sentence, the first one goes on
        StringWriter twinOut = new StringWriter();
        int twin = command(new ConsumeCommand(new CountDownLatch(1)::await, AwsClients.local(aws.clients()), Clock.systemUTC()), twinOut).execute(args);
        assertThat(twin).as("second consume's exit code; its output:%n%s", twinOut).isEqualTo(dev.kinesisaggs.app.UserErrors.USAGE);
        assertThat(twinOut.toString().lines().filter(l -> !l.isBlank()).toList()).singleElement().asString()
                .contains("is already running, in pid " + ProcessHandle.current().pid() + " on this machine: stop that one first"
                        + " (Ctrl-C where it runs, or kill " + ProcessHandle.current().pid() + "), then start this one again");
        assertThat(consuming).as("the first consume goes on").isNotDone();
        stop.countDown();
        assertThat(consuming.get(60, TimeUnit.SECONDS)).as("consume's exit code; its output:%n%s", out).isZero();

        assertThat(received(functionLog)).isEqualTo(onTheStream);
        List<String> probes = Files.readAllLines(functionLog).stream().filter(l -> l.startsWith("probe ")).toList();
        assertThat(probes).allSatisfy(line -> assertThat(line).contains(" function=example-handler ", " memory=256 ", " PROBE_OWN=given",
                " AWS_EXECUTION_ENV=AWS_Lambda_java21 ", " _HANDLER=" + HandlerArtifact.PROBE_HANDLER + " ",
                " AWS_LAMBDA_INITIALIZATION_TYPE=on-demand "));
        assertThat(Files.readAllLines(functionLog)).anyMatch(l -> l.startsWith("REPORT RequestId: ") && l.contains("Init Duration: "));
        assertThat(out.toString()).contains("Function: example-handler.zip (" + HandlerArtifact.PROBE_HANDLER + ") under AWS's Lambda runtime client");
    }

    /**
     * Ctrl-C while an invocation runs long (a 10-minute sleep under a 2-minute function timeout): consume says what it
     * waits for and stops within its grace, where it waited for the invocation up to the function timeout, and the JVM's
     * shutdown, which gives it 20 s, halted it silently with the environment's files left behind.
     */
    @Test
    void ctrlCDuringALongInvocationStopsWithinTheGraceAndSaysSo(@TempDir Path dir) throws Exception {
        String stream = stream("another-function-stopped", 1);
        aws.kinesis().putRecord(b -> b.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("sleep:600000")));

        Path functionLog = dir.resolve("function.log");
        String[] args = {"--stream", stream, "--function-jar", HandlerArtifact.zip(dir).toString(), "--handler", HandlerArtifact.PROBE_HANDLER,
                "--window", "0s", "--starting-position", "TRIM_HORIZON", "--batching-window", "0s", "--function-timeout", "120s",
                "--checkpoint-table", "another-function-stopped-checkpoints", "--function-log", functionLog.toString()};
        Consuming consuming = Consuming.untilAnInvocationStarts(args, functionLog);
        StringWriter out = consuming.out();

        long signalled = System.nanoTime();
        consuming.stop().countDown();
        // within what the JVM's shutdown on Ctrl-C gives the command
        assertThat(consuming.exit().get(StopSignal.SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("consume's exit code; its output:%n%s", out).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isGreaterThanOrEqualTo(ConsumeCommand.STOP_GRACE.minusSeconds(1));
        assertThat(out.toString()).contains("Stopping: an invocation in flight gets up to 10 s to finish; one still running then is cut,"
                + " and its records are delivered again at the next start.", "Stopped consuming; the checkpoints are saved.");
        assertThat(out.toString().lines().filter(l -> l.contains(" failures=")).reduce((first, last) -> last))
                .as("the last status line: the cut invocation is not counted as a failure").hasValueSatisfying(l -> assertThat(l).contains(" failures=0"));
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().commandLine().orElse("").contains("AWSLambda")))
                .as("execution environments left").isEmpty();

        // nor checkpointed: its record is delivered again to the same mapping
        Consuming again = Consuming.untilAnInvocationStarts(args, functionLog);
        again.stop().countDown();
        assertThat(again.exit().get(StopSignal.SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS)).as("output:%n%s", again.out()).isZero();

    }

    private static String stream(String name, int shards) {
        aws.kinesis().createStream(b -> b.streamName(name).shardCount(shards));
        LocalAwsClients.awaitStreamActive(aws.kinesis(), name);
        return name;
    }

    /** A consume running in the background, its Ctrl-C and its output. */
    private record Consuming(CountDownLatch stop, StringWriter out, CompletableFuture<Integer> exit) {

        /** Starts consume and returns once the function log shows an invocation that started after that. */
        static Consuming untilAnInvocationStarts(String[] args, Path functionLog) throws Exception {
            long linesBefore = Files.exists(functionLog) ? Files.readAllLines(functionLog).size() : 0;
            CountDownLatch stop = new CountDownLatch(1);
            StringWriter out = new StringWriter();
            CommandLine consume = command(new ConsumeCommand(stop::await, AwsClients.local(aws.clients()), Clock.systemUTC()), out);
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> consume.execute(args));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .failFast("consume stopped: " + out, exit::isDone)
                    .until(() -> Files.exists(functionLog)
                            && Files.readAllLines(functionLog).stream().skip(linesBefore).anyMatch(l -> l.startsWith("START RequestId: ")));
            return new Consuming(stop, out, exit);
        }
    }

    /** Every record the function printed it received: sequence number / partition key / data / event source ARN. */
    private static Set<String> received(Path functionLog) throws Exception {
        Set<String> records = new TreeSet<>();
        if (!Files.exists(functionLog)) {
            return records;
        }
        for (String line : Files.readAllLines(functionLog)) {
            if (line.startsWith("probe ")) {
                Matcher m = RECORD.matcher(line);
                while (m.find()) {
                    records.add(m.group(1) + "/" + m.group(2) + "/" + m.group(3) + "/" + m.group(4));
                }
            }
        }
        return records;
    }

    private static CommandLine command(Object subcommand, StringWriter out) {
        CommandLine commandLine = new CommandLine(subcommand);
        CommandLine root = KinesisAggs.commandLine(() -> { }, Clock.systemUTC());
        commandLine.setParameterExceptionHandler(root.getParameterExceptionHandler())
                .setExecutionExceptionHandler(root.getExecutionExceptionHandler());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        return commandLine;
    }
}
