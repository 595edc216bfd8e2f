package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.app.UserErrors;
import dev.kinesisaggs.esm.fixtures.LoggedRecords;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

@Isolated // it checks that no emulator of this JVM is left: none of another class may run meanwhile
class LocalCommandIT {

    @Test
    void createsTheStreamAndTablesPrintsTheEndpointsAndStopsWithNothingLeft() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CountDownLatch stop = new CountDownLatch(1);
        CommandLine commandLine = KinesisAggs.commandLine(stop::await, Clock.systemUTC());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "local", "--kinesis-port", "0", "--dynamodb-port", "0", "--shards", "3", "--stream", "it-trips",
                "--table", "itAggs")); // the tables consume will use: here one named, the others by default

        await().atMost(Duration.ofMinutes(3)).until(() -> out.toString().contains("Press Ctrl-C to stop.") || exit.isDone());
        assertThat(err.toString()).isEmpty();
        Map<String, String> exported = out.toString().lines()
                .filter(line -> line.startsWith("export "))
                .map(line -> line.substring("export ".length()).split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
        assertThat(exported).containsEntry("AWS_REGION", "us-east-1").containsEntry("AWS_DEFAULT_REGION", "us-east-1")
                .containsKeys("AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        URI kinesisEndpoint = URI.create(exported.get("AWS_ENDPOINT_URL_KINESIS"));
        URI dynamoDbEndpoint = URI.create(exported.get("AWS_ENDPOINT_URL_DYNAMODB"));

        LocalAwsClients clients = new LocalAwsClients(kinesisEndpoint, dynamoDbEndpoint, !exported.containsKey("CBOR_ENABLED"));
        try (KinesisClient kinesis = clients.newKinesisClient(); DynamoDbClient dynamoDb = clients.newDynamoDbClient()) {
            var stream = kinesis.describeStreamSummary(b -> b.streamName("it-trips")).streamDescriptionSummary();
            assertThat(stream.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
            assertThat(stream.openShardCount()).isEqualTo(3);

            Map<String, TableDescription> tables = List.of("itAggs", "kinesisAggsTrips", "kinesisAggsRejects").stream()
                    .collect(Collectors.toMap(Function.identity(), name -> dynamoDb.describeTable(b -> b.tableName(name)).table()));
            assertThat(tables.get("itAggs").keySchema()).containsExactly(
                    KeySchemaElement.builder().attributeName("vendorId").keyType(KeyType.HASH).build(),
                    KeySchemaElement.builder().attributeName("windowStart").keyType(KeyType.RANGE).build());
            assertThat(tables.get("itAggs").attributeDefinitions())
                    .anySatisfy(a -> assertThat(a.attributeName() + ":" + a.attributeTypeAsString()).isEqualTo("vendorId:N"));
            assertThat(tables.get("kinesisAggsTrips").keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("id");
            assertThat(tables.get("kinesisAggsRejects").keySchema()).extracting(KeySchemaElement::attributeName)
                    .containsExactly("recordId");
            assertThat(tables.values()).allSatisfy(table ->
                    assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST));
        }

        stop.countDown();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("Stopped the emulators.");
        assertThat(List.of(kinesisEndpoint.getPort(), dynamoDbEndpoint.getPort()))
                .allSatisfy(port -> assertThat(isFree(port)).as("port %d free", port).isTrue());
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("kinesis-aggs-guard.js")))
                .isEmpty();
    }

    /**
     * Found by probing: with an emulator killed under it, local went on serving the other one, as if nothing had happened.
     * The sentence is said once: local says it, and the emulators' own log does not say it again as an error.
     */
    @Test
    void anEmulatorKilledUnderItEndsItWithThatSentenceAndNothingLeft() throws Exception {
        // the command line's logging drops debug records before any handler sees them
        List<LogRecord> logged = LoggedRecords.of("dev.kinesisaggs.localaws", Level.FINE, LocalCommandIT::anEmulatorKilledUnderLocal);
        assertThat(logged).as("what local AWS logged about the killed emulator")
                .filteredOn(r -> r.getMessage().contains("The dynalite emulator on port ")).singleElement()
                .satisfies(r -> assertThat(r.getLevel()).isEqualTo(Level.FINE))
                .satisfies(r -> assertThat(r.getMessage()).contains("was killed by signal 9"));
    }

    private static void anEmulatorKilledUnderLocal() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = KinesisAggs.commandLine(new CountDownLatch(1)::await, Clock.systemUTC());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
                "local", "--kinesis-port", "0", "--dynamodb-port", "0"));
        await().atMost(Duration.ofMinutes(3)).until(() -> out.toString().contains("Press Ctrl-C to stop.") || exit.isDone());

        ProcessHandle dynalite = ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("dynalite/cli.js")).findFirst().orElseThrow();
        dynalite.destroyForcibly();

        assertThat(exit.get(60, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(err.toString()).contains("The dynalite emulator on port ").contains("was killed by signal 9")
                .contains("Its data was in memory: start local again.");
        assertThat(out.toString()).contains("Stopped the emulators.");
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("kinesis-aggs-guard.js")))
                .isEmpty();
    }

    @Test
    void aPortInUseIsOneSentenceAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine commandLine = KinesisAggs.commandLine(() -> {
                throw new AssertionError("must not get as far as waiting");
            }, Clock.systemUTC());
            commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

            int exit = commandLine.execute("local", "--kinesis-port", Integer.toString(taken.getLocalPort()),
                    "--dynamodb-port", "0");

            assertThat(exit).isEqualTo(UserErrors.FAILED);
            assertThat(err.toString().lines().toList()).singleElement().asString()
                    .startsWith("Port " + taken.getLocalPort() + " for the Kinesis emulator is already in use")
                    .endsWith("or choose another one with --kinesis-port (0 takes a free one).");
            // nothing started, so nothing is said to have stopped
            assertThat(out.toString()).doesNotContain("Stopped");
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
