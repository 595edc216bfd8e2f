package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.app.pipeline.StreamReadBack;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** {@code kinesis-aggs produce} on the emulator: what it prints, bad rows skipped or sent, a missing stream. */
class ProduceCommandIT {
    private static final String HEADER = "id,vendor_id,pickup_datetime,dropoff_datetime,passenger_count,pickup_longitude,"
            + "pickup_latitude,dropoff_longitude,dropoff_latitude,store_and_fwd_flag,gc_distance,trip_duration,"
            + "google_distance,google_duration";
    private static final List<String> ROWS = List.of(
            "id0190469,2,1/1/2016 0:00,1/1/2016 0:14,5,-73.98174286,40.71915817,-73.93882751,40.82918167,N,7.928829612,849,15309,1109",
            "id1665586,1,1/1/2016 0:00,1/1/2016 0:22,1,-73.98508453,40.74716568,-73.95803833,40.71749115,N,2.49248213,1294,9970,1277",
            "id0000001,x,1/1/2016 0:01,1/1/2016 0:10,1,-73.98,40.74,-73.95,40.71,N,2.4,540,,");

    private static LocalAws aws;
    private static KinesisClient kinesis;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulators() {
        aws = LocalAws.start();
        kinesis = aws.clients().newKinesisClient();
    }

    @AfterAll
    static void stopEmulators() {
        if (kinesis != null) {
            kinesis.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    private int produce(StringWriter out, String... args) {
        ProduceCommand command = new ProduceCommand(() -> new CountDownLatch(1).await(), AwsClients.local(aws.clients()));
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        return commandLine.execute(args);
    }

    private Path csv() throws Exception {
        Path file = temp.resolve("trips.csv");
        Files.write(file, java.util.stream.Stream.concat(java.util.stream.Stream.of(HEADER), ROWS.stream()).toList());
        return file;
    }

    private void createStream(String name) {
        kinesis.createStream(b -> b.streamName(name).shardCount(1));
        LocalAwsClients.awaitStreamActive(kinesis, name);
    }

    @Test
    void aBadRowIsReportedWithItsLineNumberAndSkipped() throws Exception {
        createStream("skip-bad");
        StringWriter out = new StringWriter();

        assertThat(produce(out, "--stream", "skip-bad", "--csv", csv().toString())).isZero();

        assertThat(out.toString()).contains("line 4 skipped: ")
                .contains("done, the source has ended, after ")
                .contains("sent 2 trips")
                .contains("bad rows: 1 skipped, 0 sent as-is");
        assertThat(StreamReadBack.read(kinesis, "skip-bad").trips()).extracting(StreamReadBack.ReadTrip::id)
                .containsExactlyInAnyOrder("id0190469", "id1665586");
    }

    @Test
    void theFormOfTheCsvIsToldInOneLineAfterTheStartLine() throws Exception {
        createStream("csv-forms");
        // the workshop repository's form: no header, two-digit years; and a quoted value
        Path repositoryForm = temp.resolve("taxi.csv");
        Files.write(repositoryForm, List.of(ROWS.get(0).replace("/2016 ", "/16 "),
                ROWS.get(1).replace("/2016 ", "/16 ").replace("id1665586", "\"id1665586\"")));
        StringWriter withoutHeader = new StringWriter();
        StringWriter withHeader = new StringWriter();

        assertThat(produce(withoutHeader, "--stream", "csv-forms", "--csv", repositoryForm.toString())).isZero();
        assertThat(produce(withHeader, "--stream", "csv-forms", "--csv", csv().toString())).isZero();

        List<String> lines = withoutHeader.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("Sending the trips of ");
        assertThat(lines.get(1)).isEqualTo("taxi.csv: workshop CSV without a header, two-digit years");
        assertThat(withoutHeader.toString()).contains("sent 2 trips").doesNotContain("skipped: ");
        assertThat(withHeader.toString().lines()).contains("trips.csv: workshop CSV with a header, four-digit years");
        assertThat(StreamReadBack.read(kinesis, "csv-forms").trips()).extracting(StreamReadBack.ReadTrip::id)
                .containsExactlyInAnyOrder("id0190469", "id1665586", "id0190469", "id1665586");
    }

    /** {@code some-program | kinesis-aggs produce --csv /dev/stdin}: a pipe is read once, as it comes; --loop needs a file. */
    @Test
    void aPipeIsReadAsItComesAndLoopingOverOneIsRefused() throws Exception {
        createStream("from-a-pipe");
        Path fifo = temp.resolve("trips.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, java.util.stream.Stream.concat(java.util.stream.Stream.of(HEADER), ROWS.stream()).toList());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        StringWriter out = new StringWriter();

        assertThat(produce(out, "--stream", "from-a-pipe", "--csv", fifo.toString())).as("%s", out).isZero();
        writer.join();

        assertThat(out.toString()).contains("sent 2 trips");
        assertThat(StreamReadBack.read(kinesis, "from-a-pipe").trips()).extracting(StreamReadBack.ReadTrip::id)
                .containsExactlyInAnyOrder("id0190469", "id1665586");
        StringWriter looping = new StringWriter();
        assertThat(produce(looping, "--stream", "from-a-pipe", "--csv", fifo.toString(), "--loop")).isEqualTo(2);
        assertThat(looping.toString()).startsWith("--csv " + fifo + " is not a regular file (a pipe?), which --loop cannot read"
                + " again: give a file, or leave out --loop");
    }

    @Test
    void withSendBadRowsTheRowGoesAsItIs() throws Exception {
        createStream("send-bad");
        StringWriter out = new StringWriter();

        assertThat(produce(out, "--stream", "send-bad", "--csv", csv().toString(), "--send-bad-rows", "--no-aggregation"))
                .isZero();

        assertThat(out.toString()).contains("line 4 sent as it is: ").contains("bad rows: 0 skipped, 1 sent as-is");
        assertThat(kinesis.getRecords(b -> b.shardIterator(kinesis.getShardIterator(i -> i.streamName("send-bad")
                .shardId("shardId-000000000000").shardIteratorType("TRIM_HORIZON")).shardIterator())).records())
                .hasSize(3)
                .anySatisfy(r -> assertThat(r.data().asUtf8String()).isEqualTo(ROWS.get(2)));
    }

    @Test
    void syntheticTripsUpToAMaximum() {
        createStream("synthetic");
        StringWriter out = new StringWriter();

        assertThat(produce(out, "--stream", "synthetic", "--seed", "3", "--max-trips", "250", "--rate", "1e6")).isZero();

        assertThat(out.toString()).startsWith("Sending synthetic trips (seed 3) to stream synthetic, KPL-aggregated, "
                        + "1000000 trips/s (Ctrl-C to stop).")
                .contains("done, the maximum number of trips is sent").contains("sent 250 trips");
        assertThat(StreamReadBack.read(kinesis, "synthetic").trips()).hasSize(250);
    }

    @Test
    void aMissingStreamIsOneSentence() {
        StringWriter out = new StringWriter();
        CommandLine root = KinesisAggs.commandLine(() -> { }, java.time.Clock.systemUTC());
        ProduceCommand command = new ProduceCommand(() -> new CountDownLatch(1).await(), AwsClients.local(aws.clients()));
        CommandLine commandLine = new CommandLine(command)
                .setExecutionExceptionHandler(root.getExecutionExceptionHandler());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));

        assertThat(commandLine.execute("--stream", "no-such-stream", "--max-trips", "1")).isEqualTo(2);

        assertThat(out.toString().strip())
                .isEqualTo("Stream 'no-such-stream' does not exist: create it first, or give the name of an existing stream.");
    }

    private int produceAsTheCommandLineDoes(StringWriter out, String... args) {
        CommandLine root = KinesisAggs.commandLine(() -> { }, java.time.Clock.systemUTC());
        ProduceCommand command = new ProduceCommand(() -> new CountDownLatch(1).await(), AwsClients.local(aws.clients()));
        CommandLine commandLine = new CommandLine(command)
                .setExecutionExceptionHandler(root.getExecutionExceptionHandler());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        return commandLine.execute(args);
    }

    @Test
    void anEmptyCsvIsOneSentence() throws Exception {
        createStream("empty-csv");
        Path empty = Files.writeString(temp.resolve("empty.csv"), "");
        StringWriter out = new StringWriter();

        assertThat(produceAsTheCommandLineDoes(out, "--stream", "empty-csv", "--csv", empty.toString())).isEqualTo(2);

        assertThat(out.toString().lines().filter(l -> !l.startsWith("Sending"))).singleElement().asString()
                .contains("empty.csv is empty; give a workshop trip CSV whose first line is");
    }

    @Test
    void aCsvOfAnotherShapeIsOneSentence() throws Exception {
        createStream("wrong-csv");
        Path wrong = Files.writeString(temp.resolve("wrong.csv"), "name,age\nada,36\n");
        StringWriter out = new StringWriter();

        assertThat(produceAsTheCommandLineDoes(out, "--stream", "wrong-csv", "--csv", wrong.toString())).isEqualTo(2);

        assertThat(out.toString().lines().filter(l -> !l.startsWith("Sending"))).singleElement().asString()
                .contains("wrong.csv");
        assertThat(out.toString()).doesNotContain("\tat ", "failed unexpectedly");
    }
}
