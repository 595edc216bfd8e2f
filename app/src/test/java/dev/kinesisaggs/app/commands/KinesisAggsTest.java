package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.UserErrors;
import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KinesisAggsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = KinesisAggs.commandLine(() -> {
            throw new AssertionError("no command here may wait for Ctrl-C");
        }, Clock.systemUTC());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString().strip()).matches("kinesis-aggs \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void everyCommandWithAVersionOptionSaysTheVersion() {
        // found by probing: `demo -V` printed an empty line, the commands having no version of their own
        CommandLine root = KinesisAggs.commandLine(() -> { }, Clock.systemUTC());
        List<String> commands = root.getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
        assertThat(commands).hasSizeGreaterThanOrEqualTo(8);
        for (String command : commands) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "-V")).isZero();
            assertThat(out.toString().strip()).as(command).matches("kinesis-aggs \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        }
    }

    @Test
    void everyHelpExampleFitsTheHelpsWidthSoThatItPastes() {
        // found by probing: examples cut mid-token by the 80 columns of the help, and one with a quote in it
        CommandLine root = KinesisAggs.commandLine(() -> { }, Clock.systemUTC());
        for (CommandLine command : root.getSubcommands().values()) {
            for (String line : command.getCommandSpec().usageMessage().footer()) {
                assertThat(line.length()).as("%s: %s", command.getCommandName(), line).isLessThanOrEqualTo(80);
                if (line.strip().startsWith("./kinesis-aggs")) {
                    assertThat(line).as(line).doesNotContain("'", "(", ")");
                }
            }
        }
    }

    @Test
    void anEmptyDataDirectoryIsRefusedNotTakenAsThisOne() {
        assertThat(run("local", "--data-dir", "", "--kinesis-port", "0", "--dynamodb-port", "0")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--data-dir needs a directory: leave the option out to keep the data in memory.");
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: kinesis-aggs")
                .contains("local", "produce", "consume", "demo", "aggregates", "dashboard");
    }

    @Test
    void consumeHelpNamesTheSettingsAsAwsDoes() {
        assertThat(run("consume", "--help")).isZero();
        assertThat(out.toString()).contains("--batch-size", "--batching-window", "--starting-position", "--window",
                "--max-retries", "--max-record-age", "--[no-]bisect", "--parallelization-factor", "--destination",
                "--function-timeout");
    }

    @Test
    void consumeHelpNamesTheSettingsAsTheAwsCliDoesToo() {
        assertThat(run("consume", "--help")).isZero();
        assertThat(out.toString()).contains("--maximum-batching-window-in-seconds", "--starting-position-timestamp",
                "--tumbling-window-in-seconds", "--maximum-retry-attempts", "--maximum-record-age-in-seconds",
                "--[no-]bisect-batch-on-function-error", "--function-response-types", "--destination-config");
    }

    @Test
    void demoNeitherListsNorTakesTheOptionsThatRunAnotherFunction() {
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--memory-size").doesNotContain("--function-jar").doesNotContain("--handler");
        assertThat(run("demo", "--function-jar", "other.jar")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("demo does not take --function-jar: kinesis-aggs consume, redrive and chaos do.");
    }

    @Test
    void demoSaysWhichCommandTakesASettingItFixes() {
        assertThat(run("demo", "--maximum-retry-attempts", "3")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("demo does not take --maximum-retry-attempts: kinesis-aggs consume does.");
    }

    @Test
    void produceRefusesTwoSourcesAtOnce() {
        assertThat(run("produce", "--csv", "a.csv", "--jsonl", "b.jsonl")).isEqualTo(UserErrors.USAGE);
        // picocli's "Error: --csv=FILE, --jsonl=FILE are mutually exclusive (specify only one)", in our words
        assertThat(err.toString()).startsWith("Give only one of --csv and --jsonl, not both.");
    }

    @Test
    void produceRefusesAMissingFileBeforeConnecting() {
        assertThat(run("produce", "--csv", "no-such-file.csv")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--csv no-such-file.csv is not a file: give the path of an existing file.");
    }

    @Test
    void redriveRefusesABucketThatIsNotNamedBeforeConnecting() {
        assertThat(run("redrive", "--from", "s3://")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--from s3:// names no bucket: write arn:aws:s3:::BUCKET or s3://BUCKET/PREFIX");
        err.getBuffer().setLength(0);
        assertThat(run("redrive", "--from", "arn:aws:s3:::")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--from arn:aws:s3::: names no bucket");
    }

    @Test
    void redriveSaysThatAFileItIsGivenDoesNotExist() {
        assertThat(run("redrive", "--from", "no-such-failures.jsonl")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--from no-such-failures.jsonl: the file does not exist; give the JSON-lines file"
                + " of the on-failure records, an SQS queue URL or ARN, or an S3 bucket");
        // a file's name that begins with "http" is a file's too, not a queue URL
        err.getBuffer().setLength(0);
        assertThat(run("redrive", "--from", "http-failures.jsonl")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--from http-failures.jsonl: the file does not exist;");
        // what is neither a path nor one of the others is still told so
        err.getBuffer().setLength(0);
        assertThat(run("redrive", "--from", "ftp://host/failures.jsonl")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--from ftp://host/failures.jsonl is neither a file, an SQS queue URL or ARN, nor an S3 bucket");
    }

    @Test
    void aRedriveWindowSmallerThanTheMappingsIsRefusedBeforeAnyRecordIsRedriven(@TempDir Path temp) throws Exception {
        // a batch of a 30 s window (its records arrived from 07:04:05 to 07:04:25), redriven as 10 s windows
        Path failures = java.nio.file.Files.writeString(temp.resolve("failures.jsonl"), "{\"requestContext\":{\"requestId\":\"r\","
                + "\"functionArn\":\"arn:aws:lambda:us-east-1:000000000000:function:f\",\"condition\":\"RetryAttemptsExhausted\","
                + "\"approximateInvokeCount\":3},\"version\":\"1.0\",\"timestamp\":\"2020-12-09T07:05:00.000Z\",\"KinesisBatchInfo\":{"
                + "\"shardId\":\"shardId-000000000000\",\"startSequenceNumber\":\"100\",\"endSequenceNumber\":\"200\","
                + "\"approximateArrivalOfFirstRecord\":\"2020-12-09T07:04:05.000Z\",\"approximateArrivalOfLastRecord\":\"2020-12-09T07:04:25.000Z\","
                + "\"batchSize\":10,\"streamArn\":\"arn:aws:kinesis:us-east-1:000000000000:stream/taxi-trips\"}}\n");

        expectUsage("redrive --from " + failures + " --window 10s --endpoint-url http://127.0.0.1:9 --region us-east-1",
                "holds records that arrived from 2020-12-09T07:04:05Z to 2020-12-09T07:04:25Z, in more than one 10 s window");
        assertThat(out.toString()).as("nothing said to be redriven").doesNotContain("Redriving");
    }

    /** Found by probing the commands: each was accepted and failed later (a stack trace, an overflow, retries for ever). */
    @Test
    void badValuesAreRefusedBeforeAnythingStartsInOneSentence() throws Exception {
        java.nio.file.Path empty = java.nio.file.Files.createTempFile("failures", ".jsonl");
        try {
            expectUsage("redrive --from " + empty + " --batch-size 0", "--batch-size must be from 1 to 10000, as the mapping's, not 0");
            expectUsage("redrive --from " + empty + " --function-timeout 0s", "--function-timeout must be whole seconds from 1 s to 900 s, not 0 s");
            expectUsage("redrive --from " + empty + " --window 1500ms", "--window must be whole seconds from 1 s to 900 s, not 1500 ms");
            expectUsage("redrive --from " + empty + " --memory-size 127", "The memory size must be between 128 and 10240 MB, as on Lambda, not 127.");
        } finally {
            java.nio.file.Files.delete(empty);
        }
        expectUsage("consume --function-jar pom.xml --handler ::", "--handler :: is not a handler as Lambda's Handler setting names one");
        expectUsage("consume --function-jar pom.xml --handler a::b::c", "--handler a::b::c is not a handler");
        // the variable won over the checked option, and a table that is not there failed every batch for ever
        expectUsage("consume --environment tripsTableName=nosuch", "--environment tripsTableName=nosuch names another table than"
                + " the command gives kinesis-aggs' function ('kinesisAggsTrips'), which it checks: name the table with the"
                + " command's option (--table, --trips-table or --rejects-table) instead");
        expectUsage("redrive --from pom.xml --environment dynamoDBTableName=x", "dynamoDBTableName=x names another table");
        expectUsage("demo --port 0 --environment rejectsTableName=x", "rejectsTableName=x names another table");
        expectUsage("chaos --environment rejectsTableName=", "rejectsTableName= names another table than the command gives"
                + " kinesis-aggs' function ('chaosRejects')");
        // every trip was then quarantined as refused by DynamoDB, the mapping saying all was well
        expectUsage("local --kinesis-port 0 --dynamodb-port 0 --table same --trips-table same", "The aggregates, trips and quarantine"
                + " tables need a name each, not 'same' for two of them: give --table, --trips-table and --rejects-table different names.");
        // chaos ran on and printed a trace from its mapping's process, then said the process did not start
        for (String command : List.of("consume", "chaos", "redrive --from pom.xml")) {
            expectUsage(command + " --function-jar pom.xml --handler a.B", "--function-jar pom.xml cannot be read as a .jar or .zip file");
        }
        expectUsage("produce --duration 99999999999999h", "'99999999999999h' is longer than 3650 days");
        expectUsage("demo extra-arg", "demo takes options only, not 'extra-arg' (an option's value goes right after its name).");
        // found by probing: "-5s is negative: a duration is 0 or more", then "0" was refused as not positive
        for (String command : List.of("demo --port 0", "produce", "consume")) {
            expectUsage(command + " --duration 0", "'0' is no time to run for: give a duration longer than 0, e.g. 100s or 5m,"
                    + " or leave the option out to run until Ctrl-C");
            expectUsage(command + " --duration -5s", "'-5s' is no time to run for");
        }
        expectUsage("demo --port 0 --soak-every 0s", "'0s' is no interval: give one longer than 0, e.g. 10s");
        expectUsage("demo --port 0 --status-every 0", "'0' is no interval");
        expectUsage("demo --rate Infinity", "--rate must be a positive number of trips per second");
        expectUsage("demo --port 0 --emulator-memory -1", "--emulator-memory takes at least 64 megabytes (an emulator at work holds"
                + " 50 to 100 MB, and one bounded below that would be started again every minute), or 0 for no bound, not -1.");
        expectUsage("demo --port 0 --emulator-memory 63", "or 0 for no bound, not 63.");
        // refused before anything starts (it was a stack trace once the emulators were up)
        expectUsage("demo --port 99999", "The dashboard port must be between 0 and 65535, not 99999.");
        expectUsage("demo --port -1", "The dashboard port must be between 0 and 65535, not -1.");
        expectUsage("consume --status-every 0s", "'0s' is no interval: give one longer than 0, e.g. 10s");
        expectUsage("consume --starting-position AT_TIMESTAMP --starting-position-timestamp 99999999999999999",
                "--starting-position-timestamp must be an ISO instant such as 2026-01-01T12:00:00Z or Unix seconds, not '99999999999999999'");
        expectUsage("consume --starting-position AT_TIMESTAMP --starting-position-timestamp 2999-01-01T00:00:00Z",
                "--starting-position-timestamp 2999-01-01T00:00:00Z is in the future");
        expectUsage("produce --progress-every 0ms", "'0ms' is no interval: give one longer than 0, e.g. 10s");
        expectUsage("produce --rate Infinity", "--rate must be a positive number of trips per second, or 0 for no limit, not Infinity.");
        expectUsage("produce --rate -5", "--rate must be a positive number of trips per second, or 0 for no limit, not -5.");
        expectUsage("local --table a", "'a' is not a DynamoDB table name: 3 to 255 letters, digits, '_', '.' or '-'");
        expectUsage("consume --checkpoint-table bad!", "'bad!' is not a DynamoDB table name");
        expectUsage("produce --stream bad!name", "'bad!name' is not a Kinesis stream name");
        expectUsage("local --stream bad!name", "'bad!name' is not a Kinesis stream name");
        expectUsage("consume --environment FOO", "--environment takes NAME=VALUE, not 'FOO'.");
        // a mistyped option: the closest one named
        expectUsage("demo --durration 10s", "Unknown options: '--durration', '10s'. Did you mean --duration?");
        expectUsage("consume --windw 5s", "Did you mean --window?");
        expectUsage("chaos --window 1500ms", "--window must be whole seconds from 1 s to 900 s, not 1500 ms");
        expectUsage("chaos --window 16m", "--window must be whole seconds from 1 s to 900 s, not 16 min");
        expectUsage("chaos --window ten", "'ten' is not a duration");
        expectUsage("chaos --memory-size 127", "The memory size must be between 128 and 10240 MB, as on Lambda, not 127.");
        // found by probing: the second emulator was said to meet a port in use, by a program that was not there
        expectUsage("local --kinesis-port 29000 --dynamodb-port 29000",
                "--kinesis-port and --dynamodb-port are both 29000: give each emulator a port of its own.");
        // found by probing: chaos's own mapping process met it, as a stack trace and a FAIL a minute later
        expectUsage("chaos --environment AWS_REGION=x", "AWS_REGION is set by Lambda itself: a function cannot set it; remove it.");
        expectUsage("chaos --function-jar /nope --handler a.B", "--function-jar /nope does not exist");
    }

    @Test
    void numbersAndCommandsAreRefusedInWordsAUserReads() {
        expectUsage("produce --rate abc", "Invalid value for option '--rate': 'abc' is not a number");
        // named as typed, not by its longest name
        expectUsage("consume --stream s --window 1.5", "Invalid value for option '--window': ");
        expectUsage("consume --stream s --tumbling-window-in-seconds 1.5", "Invalid value for option '--tumbling-window-in-seconds': ");
        expectUsage("consume --stream s --tumbling-window-in-seconds 500ms", "--tumbling-window-in-seconds is counted in whole seconds, not 500 ms");
        expectUsage("consume --stream s --window 500ms", "--window is counted in whole seconds, not 500 ms");
        expectUsage("consume --stream s --maximum-record-age-in-seconds 1500ms",
                "--maximum-record-age-in-seconds is counted in whole seconds, not 1500 ms");
        expectUsage("produce --seed 2.5", "'2.5' is not a whole number");
        expectUsage("local --shards 99999999999", "'99999999999' is too large a number here");
        err.getBuffer().setLength(0);
        assertThat(run("bogus")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("'bogus' is not a command: choose one of local, produce, consume, redrive, demo,");
        assertThat(run("help", "demo")).isZero();
        assertThat(out.toString()).contains("Usage: kinesis-aggs demo");
    }

    @Test
    void aDashboardAddressThatIsNotThisMachinesIsNamedAsTheCause() {
        assertThat(run("dashboard", "--bind", "192.0.2.1", "--port", "0", "--region", "us-east-1")).isNotZero();
        assertThat(err.toString()).contains("Cannot listen on 192.0.2.1: it is not an address of this machine")
                .doesNotContain("choose another with --port");
    }

    private void expectUsage(String line, String sentence) {
        err.getBuffer().setLength(0);
        assertThat(run(line.split(" "))).as(line).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).as(line).contains(sentence).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aHandlerClassTheArtifactDoesNotHoldIsRefusedBeforeAnythingStarts(@TempDir Path temp) {
        Path zip = HandlerArtifact.zip(temp);
        expectUsage("consume --function-jar " + zip + " --handler example.handler.Nope::handleRequest", "--handler"
                + " example.handler.Nope::handleRequest names the class example.handler.Nope, which " + zip + " does not hold");
    }

    @Test
    void consumeRefusesWhatAwsRefuses() {
        assertThat(run("consume", "--batch-size", "0")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--batch-size (BatchSize) must be between 1 and 10000, not 0.");
    }

    @Test
    void demoRefusesAWindowAwsWouldRefuse() {
        assertThat(run("demo", "--window", "20m")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--window (TumblingWindowInSeconds) must be between 0 and 900, not 1200.");
    }

    @Test
    void aSettingAwsRefusesIsNamedByTheOptionAsTyped() {
        assertThat(run("consume", "--tumbling-window-in-seconds", "901")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--tumbling-window-in-seconds (TumblingWindowInSeconds) must be between 0 and 900, not 901.");
    }

    @Test
    void localHelpListsItsOptions() {
        assertThat(run("local", "--help")).isZero();
        assertThat(out.toString()).contains("--kinesis-port", "--dynamodb-port", "--data-dir", "--shards", "--stream");
    }

    @Test
    void anUnknownOptionIsOneSentenceAndAHintWithoutStackTrace() {
        assertThat(run("local", "--shardz", "3")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString().lines().toList())
                .hasSize(2)
                .satisfies(lines -> assertThat(lines.get(0)).contains("--shardz"))
                .satisfies(lines -> assertThat(lines.get(1)).isEqualTo("Run 'kinesis-aggs local --help' for the options."));
        assertThat(err.toString()).doesNotContain("\tat ");
    }

    @Test
    void aShardCountOutOfRangeIsRejectedBeforeAnythingStarts() {
        assertThat(run("local", "--shards", "0")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--shards must be between 1 and 50, not 0.");
    }

    @Test
    void anUnknownKinesisEmulatorIsNamed() {
        assertThat(run("local", "--kinesis-emulator", "localstack")).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("Unknown Kinesis emulator 'localstack': use one of kinesis-local, kinesalite.");
    }

    @Test
    void withoutACommandItSaysWhichThereAre() {
        assertThat(run()).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("Missing a command: choose one of local, produce, consume, redrive, demo, aggregates, rejects, dashboard, chaos, help.");
    }
}
