package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.aggregates.AggregateTables;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import dev.kinesisaggs.localaws.LocalAws;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The command as a user runs it, against dynalite through --endpoint. */
class AggregatesCommandIT {

    private static final Instant T0 = Instant.parse("2016-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(120), ZoneOffset.UTC);
    private static final String TABLE = AggregateTables.uniqueName("aggregatesCommandIT");
    // Emulators of this class's own, stopped after it: the command line's tests check that no
    // emulator is left among this JVM's processes, which the run-wide shared ones would be.
    private static LocalAws aws;
    private static String endpoint;

    @BeforeAll
    static void fill() {
        aws = LocalAws.start();
        DynamoDbClient dynamo = aws.dynamoDb();
        endpoint = aws.dynamoDbEndpoint().toString();
        AggregateTables.createAggregates(dynamo, TABLE);
        for (int i = 0; i < 4; i++) {
            Instant start = T0.plusSeconds(30L * i);
            AggregateTables.put(dynamo, TABLE, WindowAggregate.of(1, start, start.plusSeconds(30), 3 + i, 2 + i));
            AggregateTables.put(dynamo, TABLE, WindowAggregate.of(2, start, start.plusSeconds(30), 40 + i, 20 + i));
        }
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TestCommands.command(new AggregatesCommand(CLOCK, EndpointOptions::dynamoDb), out, err).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void countsOnlyTheShardsThatCompletedAWindowAndSaysWhichWindowsHoldSomeShardsOnlyAndWhichHaveOnlyBegun() {
        String table = AggregateTables.uniqueName("incomplete");
        DynamoDbClient dynamo = aws.dynamoDb();
        AggregateTables.createAggregates(dynamo, table);
        Instant start = Instant.parse("2016-01-01T01:00:00Z");
        AggregateTables.addPart(dynamo, table, "shardId-000000000000", WindowAggregate.of(1, start, start.plusSeconds(30), 4, 2));
        // the other shard's run of the window never got its final invoke
        AggregateTables.addUnfinishedPart(dynamo, table, "shardId-000000000001", WindowAggregate.of(1, start, start.plusSeconds(30), 7, 3));
        Instant next = start.plusSeconds(30);
        AggregateTables.addPart(dynamo, table, "shardId-000000000000", WindowAggregate.of(1, next, next.plusSeconds(30), 1, 1));
        // the window filling now: its runs began, none has written it to its end
        Instant open = next.plusSeconds(30);
        AggregateTables.addOpening(dynamo, table, "shardId-000000000000", open, open.plusSeconds(30), "filling", 1);

        Run run = run("--endpoint", endpoint, "--table", table, "--format", "csv");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("vendorId,windowStart,windowEnd,passengers,trips,distance,duration\r\n"
                + "1,2016-01-01T01:00:00Z,2016-01-01T01:00:30Z,4,2,0,0\r\n"
                + "1,2016-01-01T01:00:30Z,2016-01-01T01:01:00Z,1,1,0,0\r\n");
        assertThat(run.err().strip()).isEqualTo("1 window holds the sums of some shards only: another shard has not written it"
                + " to the end yet (its final invoke is to come, or was given up): 2016-01-01T01:00:00Z. A given-up window is"
                + " delivered again by kinesis-aggs redrive, from the mapping's on-failure records.\n"
                + "1 window has begun and no shard has written it to the end yet, so it is not shown (still open, or every final"
                + " invoke given up): 2016-01-01T01:01:00Z.");
        Run json = run("--endpoint", endpoint, "--table", table, "--format", "json");
        assertThat(json.out()).contains("\"passengers\" : 4,\n  \"trips\" : 2,\n  \"distance\" : 0,\n  \"duration\" : 0,\n"
                + "  \"partial\" : true\n");
        assertThat(json.out().split("partial", -1)).as("the partial window's row only").hasSize(2);
    }

    @Test
    void printsAnAlignedTableOfEveryWindowByDefault() {
        Run run = run("--endpoint", endpoint, "--table", TABLE);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(9).first()
                .isEqualTo("vendor  window start          window end            passengers  trips");
        assertThat(run.out().lines()).contains("     2  2016-01-01T00:01:30Z  2016-01-01T00:02:00Z          43     23");
    }

    @Test
    void printsCsvOfOneVendorInARelativeRange() {
        // the clock says 00:02:00, so -60s is 00:01:00
        Run run = run("--endpoint", endpoint, "--table", TABLE,
                "--vendor", "1", "--from", "-60s", "--format", "csv");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("vendorId,windowStart,windowEnd,passengers,trips,distance,duration\r\n"
                + "1,2016-01-01T00:01:00Z,2016-01-01T00:01:30Z,5,4,,\r\n"
                + "1,2016-01-01T00:01:30Z,2016-01-01T00:02:00Z,6,5,,\r\n");
    }

    @Test
    void printsJsonOfAnAbsoluteRange() {
        Run run = run("--endpoint", endpoint, "--table", TABLE,
                "--from", "2016-01-01T00:00:00Z", "--to", "2016-01-01T00:00:30Z", "--format", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"vendorId\" : 1", "\"vendorId\" : 2", "\"passengers\" : 40")
                .doesNotContain("00:00:30Z\",\n    \"windowEnd\"");
    }

    @Test
    void printsEveryWindowAndSaysInOneSentenceWhichItemsAreNotWindowAggregates() {
        String table = AggregateTables.uniqueName("stray");
        DynamoDbClient dynamo = aws.dynamoDb();
        AggregateTables.createAggregates(dynamo, table);
        AggregateTables.put(dynamo, table, WindowAggregate.of(1, T0, T0.plusSeconds(30), 3, 2));
        // as a user may put one by hand: the table's key, nothing else of an aggregate's
        dynamo.putItem(b -> b.tableName(table).item(Map.of("vendorId", AttributeValue.fromN("1"),
                "windowStart", AttributeValue.fromS("garbage"), "passengers", AttributeValue.fromS("x"))));

        for (String[] vendors : new String[][] {{}, {"--vendor", "1"}}) {
            Run run = run(Stream.concat(Stream.of("--endpoint", endpoint, "--table", table, "--format", "csv"),
                    Stream.of(vendors)).toArray(String[]::new));

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).isEqualTo("vendorId,windowStart,windowEnd,passengers,trips,distance,duration\r\n"
                    + "1,2016-01-01T00:00:00Z,2016-01-01T00:00:30Z,3,2,,\r\n");
            assertThat(run.err().lines()).containsExactly("Skipped 1 item of " + table + " that is not a window aggregate"
                    + " (vendorId 1, windowStart \"garbage\": no windowEnd).");
        }
    }

    @Test
    void saysThatATableOfAnotherKeyIsNotAnAggregatesTable() {
        String trips = AggregateTables.uniqueName("trips");
        DynamoDbClient dynamo = aws.dynamoDb();
        AggregateTables.createTrips(dynamo, trips);

        Run run = run("--endpoint", endpoint, "--table", trips);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("The table " + trips + " has the key id (S), where an aggregates table has"
                + " vendorId (N) + windowStart (S): name the aggregates table with --table (the pipeline's is kinesisAggs"
                + " unless it was given another).");
    }

    @Test
    void refusesTimesBeyondTheCalendarInOneSentenceAndReadsToItsEnds() {
        for (String[] beyond : new String[][] {{"--from", "+10000-01-01T00:00:00Z"}, {"--to", "-0001-01-01T00:00:00Z"},
                {"--from", "+10000-01-01"}}) {
            for (String[] vendors : new String[][] {{}, {"--vendor", "1"}}) {
                Run run = run(Stream.of(new String[] {"--endpoint", endpoint, "--table", TABLE}, beyond, vendors)
                        .flatMap(Stream::of).toArray(String[]::new));

                assertThat(run.exitCode()).as(String.join(" ", beyond)).isEqualTo(2);
                assertThat(run.err().lines().findFirst()).as(String.join(" ", beyond)).hasValue("The time '" + beyond[1]
                        + "' is outside the years 0000 to 9999, which are all that the aggregates table's windows can start"
                        + " in: give a time within them, or leave the bound out.");
            }
        }
        for (String[] vendors : new String[][] {{}, {"--vendor", "1"}}) {
            Run end = run(Stream.concat(Stream.of("--endpoint", endpoint, "--table", TABLE, "--from", "9999-12-31T23:59:59Z"),
                    Stream.of(vendors)).toArray(String[]::new));
            Run whole = run(Stream.concat(Stream.of("--endpoint", endpoint, "--table", TABLE, "--from", "0000-01-01",
                    "--to", "9999-12-31T23:59:59.999999999Z", "--format", "csv"), Stream.of(vendors)).toArray(String[]::new));

            assertThat(end.exitCode()).isZero();
            assertThat(end.out()).isEqualTo("No windows.\n");
            assertThat(end.err().strip()).isEqualTo(TABLE + " holds no window" + (vendors.length == 0 ? "" : " for vendor 1")
                    + " since 9999-12-31T23:59:59Z.");
            assertThat(whole.exitCode()).isZero();
            assertThat(whole.out().lines()).hasSize(vendors.length == 0 ? 9 : 5);
            assertThat(whole.err()).isEmpty();
        }
    }

    @Test
    void refusesAStartAfterTheEndInOneSentence() {
        Run run = run("--endpoint", endpoint, "--table", TABLE, "--from", "2016-01-02", "--to", "2016-01-01");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().findFirst())
                .hasValue("The start of the time range (2016-01-02T00:00:00Z) must be before its end (2016-01-01T00:00:00Z).");
    }

    @Test
    void saysWhatToDoWhenTheTableDoesNotExist() {
        Run run = run("--endpoint", endpoint, "--table", "noSuchTable");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().contains("The table 'noSuchTable' does not exist", "--table");
    }

    @Test
    void anEndpointThatNeverAnswersIsSaidWithinTheCallsTime() throws Exception {
        // connections complete in the kernel's backlog, and the request is never answered: a black hole
        try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Instant started = Instant.now();
            Run run = run("--endpoint", "http://127.0.0.1:" + blackHole.getLocalPort(), "--table", TABLE);

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err().lines()).singleElement().asString().startsWith("Cannot reach DynamoDB (no answer within 20 s):"
                    + " check the endpoint variables");
            assertThat(java.time.Duration.between(started, Instant.now())).isLessThan(java.time.Duration.ofSeconds(40));
        }
    }

    @Test
    void refusesAnUnknownFormatOrTimeWithAUsageError() {
        Run format = run("--endpoint", endpoint, "--format", "xml");
        Run time = run("--endpoint", endpoint, "--from", "last week");

        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("Unknown --format 'xml': use table, json or csv.");
        assertThat(time.exitCode()).isEqualTo(2);
        assertThat(time.err()).contains("Cannot read the time 'last week'");
    }
}
