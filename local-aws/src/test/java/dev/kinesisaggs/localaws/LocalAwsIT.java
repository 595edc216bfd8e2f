package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

class LocalAwsIT {

    @ParameterizedTest
    @EnumSource(KinesisEmulator.class)
    void bothEmulatorsAnswerOnLoopbackAndAreGoneAfterClose(KinesisEmulator emulator) {
        Collection<Long> pids;
        List<Integer> ports;
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withKinesisEmulator(emulator))) {
            assertThat(aws.kinesisEmulator()).isEqualTo(emulator);
            pids = aws.pids().values();
            ports = List.of(aws.kinesisEndpoint().getPort(), aws.dynamoDbEndpoint().getPort());
            assertThat(aws.kinesisEndpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());

            String data = roundTripThroughKinesis(aws.kinesis(), "smoke", "hello");
            assertThat(data).isEqualTo("hello");
            createTable(aws.dynamoDb(), "smoke");
            aws.dynamoDb().putItem(b -> b.tableName("smoke").item(Map.of("id", AttributeValue.fromS("a"))));
            assertThat(aws.dynamoDb().getItem(b -> b.tableName("smoke").key(Map.of("id", AttributeValue.fromS("a")))).hasItem())
                    .isTrue();
            assertThat(aws.environment())
                    .containsEntry("AWS_ENDPOINT_URL_KINESIS", aws.kinesisEndpoint().toString())
                    .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoDbEndpoint().toString())
                    .containsEntry("AWS_REGION", "us-east-1")
                    .containsKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        }
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(ports).allSatisfy(port -> assertThat(LoopbackPorts.isFree(port)).isTrue());
    }

    @Test
    void anEmulatorKilledWhileInUseIsReportedWithItsLogKeptAndOnesStoppedByCloseAreNot() throws Exception {
        String report;
        try (LocalAws aws = LocalAws.start()) {
            long dynalite = aws.pids().get("dynalite");
            int port = aws.dynamoDbEndpoint().getPort();
            assertThat(aws.unexpectedExits()).isEmpty();

            ProcessHandle.of(dynalite).orElseThrow().destroyForcibly();

            await().atMost(Duration.ofSeconds(10)).until(() -> !aws.unexpectedExits().isEmpty());
            report = aws.unexpectedExits().get(0);
            assertThat(aws.unexpectedExits()).hasSize(1);
            assertThat(report).startsWith("The dynalite emulator on port " + port + " (pid " + dynalite + ") was killed by signal 9")
                    .contains("while in use; its log is kept in ");
            Path kept = Path.of(report.substring(report.indexOf("kept in ") + "kept in ".length(), report.indexOf("; the last lines")));
            try {
                assertThat(Files.readString(kept)).as("the emulator's own log, kept after its run directory is gone")
                        .contains("kinesis-aggs-guard: listening on " + port);
            } finally {
                Files.deleteIfExists(kept);
            }
            // Ctrl-C in a terminal reaches the emulators too (same process group) while the program stops them anyway
            long kinesis = aws.pids().get(aws.kinesisEmulator().packageName());
            new ProcessBuilder("kill", "-INT", Long.toString(kinesis)).start().waitFor();
            ProcessHandle.of(kinesis).ifPresent(p -> p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
            aws.close();
            assertThat(aws.unexpectedExits()).as("the emulators that Ctrl-C or close() stopped").containsExactly(report);
        }
    }

    /**
     * A call cut by its timeout, or a function's environment killed by its own, leaves a request half sent. Both emulators
     * threw node's "aborted" error for it and died (dynalite under the suite's tests, now and then): they go on serving.
     */
    @ParameterizedTest
    // kinesis-local not: it stopped accepting connections after such resets now and then under a full build's load, its
    // process running, for a cause inside its own server (local-aws/README.md, "Which Kinesis emulator")
    @EnumSource(value = KinesisEmulator.class, names = "KINESALITE")
    void aClientThatClosesItsConnectionInTheMiddleOfARequestDoesNotEndTheEmulator(KinesisEmulator emulator) throws Exception {
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withKinesisEmulator(emulator))) {
            for (java.net.URI endpoint : List.of(aws.dynamoDbEndpoint(), aws.kinesisEndpoint())) {
                for (int i = 0; i < 3; i++) {
                    try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
                        socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\n"
                                + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 1000\r\n\r\n{\"TableName\":")
                                .getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                        Thread.sleep(100);
                        socket.setSoLinger(true, 0); // a reset, as a killed process leaves it
                    }
                }
            }
            Thread.sleep(500);
            assertThat(aws.unexpectedExits()).isEmpty();
            createTable(aws.dynamoDb(), "after-resets");
            assertThat(aws.dynamoDb().listTables().tableNames()).contains("after-resets");
            try {
                assertThat(roundTripThroughKinesis(aws.kinesis(), "after-resets", "still here")).isEqualTo("still here");
            } catch (software.amazon.awssdk.core.exception.SdkClientException refused) {
                // keep what its log says, which the run directory takes with it on close
                throw new AssertionError(emulator + " stopped answering after the resets, its process running ("
                        + aws.unexpectedExits() + "); its log ends: " + aws.logTails(), refused);
            }
            assertThat(aws.unexpectedExits()).isEmpty();
        }
    }

    @Test
    void aTakenPortIsNamedInOneSentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalAws.start(LocalAwsOptions.defaults().withDynamoDbPort(port)))
                    .isInstanceOfSatisfying(PortTakenException.class, e -> {
                        assertThat(e.port()).isEqualTo(port);
                        assertThat(e.emulator()).isEqualTo("DynamoDB");
                    })
                    .hasMessageContaining("Port " + port + " for the DynamoDB emulator is already in use")
                    .hasMessageEndingWith("or choose another port.");
        }
    }

    @Test
    void anEmulatorThatLosesItsPortToAnotherRunsIsStartedAgainElsewhereNotMistakenForTheOther() {
        try (LocalAws first = LocalAws.start()) {
            int taken = first.dynamoDbEndpoint().getPort();
            // the next start is handed the port the first run's dynalite holds, as two runs choosing ports at the
            // same moment may be: its dynalite dies of EADDRINUSE while the first one answers on that port
            AtomicInteger calls = new AtomicInteger();
            LocalAws.freePorts = () -> calls.getAndIncrement() == 0 ? taken : LoopbackPorts.anyFree();
            try (LocalAws second = LocalAws.start()) {
                assertThat(second.dynamoDbEndpoint().getPort()).as("the second run's DynamoDB port").isNotEqualTo(taken);
                createTable(second.dynamoDb(), "only-in-the-second");
                assertThat(first.dynamoDb().listTables().tableNames()).doesNotContain("only-in-the-second");
            } finally {
                LocalAws.freePorts = LoopbackPorts::anyFree;
            }
        }
    }

    @Test
    void givenPortsAreUsed() {
        int kinesisPort = LoopbackPorts.anyFree();
        int dynamoDbPort = LoopbackPorts.anyFree();
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withKinesisPort(kinesisPort).withDynamoDbPort(dynamoDbPort))) {
            assertThat(aws.kinesisEndpoint().toString()).isEqualTo("http://127.0.0.1:" + kinesisPort);
            assertThat(aws.dynamoDbEndpoint().toString()).isEqualTo("http://127.0.0.1:" + dynamoDbPort);
            assertThat(aws.dynamoDb().listTables().tableNames()).isEmpty();
        }
    }

    static String roundTripThroughKinesis(KinesisClient kinesis, String stream, String payload) {
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                        == StreamStatus.ACTIVE);
        kinesis.putRecord(b -> b.streamName(stream).partitionKey("p").data(SdkBytes.fromUtf8String(payload)));
        return firstRecord(kinesis, stream);
    }

    static String firstRecord(KinesisClient kinesis, String stream) {
        String shardId = kinesis.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        return kinesis.getRecords(b -> b.shardIterator(iterator)).records().get(0).data()
                .asString(StandardCharsets.UTF_8);
    }

    static void createTable(DynamoDbClient dynamoDb, String table) {
        dynamoDb.createTable(b -> b.tableName(table)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
    }
}
