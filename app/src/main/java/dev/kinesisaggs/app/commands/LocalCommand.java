package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.LocalStream;
import dev.kinesisaggs.app.RunLoop;
import dev.kinesisaggs.app.StopSignal;
import dev.kinesisaggs.app.StopWaiter;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.localaws.KinesisEmulator;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsException;
import dev.kinesisaggs.localaws.PortTakenException;
import dev.kinesisaggs.localaws.LocalAwsOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/** {@code kinesis-aggs local}: the emulators, the stream and the tables, until Ctrl-C. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Starts local Kinesis and DynamoDB emulators (installed with npm on first use), creates the stream "
                + "and the tables, prints the endpoints and runs until Ctrl-C."})
final class LocalCommand implements Callable<Integer> {
    static final int MAX_SHARDS = 50;

    @Spec
    private CommandSpec spec;

    @Option(names = "--kinesis-port", defaultValue = "4568", paramLabel = "PORT",
            description = "Loopback port of the Kinesis endpoint; 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int kinesisPort;

    @Option(names = "--dynamodb-port", defaultValue = "4567", paramLabel = "PORT",
            description = "Loopback port of the DynamoDB endpoint; 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int dynamoDbPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the streams and tables in this directory between runs (default: in memory).")
    private Path dataDirectory;

    @Option(names = "--shards", defaultValue = "2", paramLabel = "N",
            description = "Shards of the stream when it is created (default: ${DEFAULT-VALUE}).")
    private int shards;

    @Option(names = "--stream", defaultValue = "taxi-trips", paramLabel = "NAME", converter = AwsNames.Stream.class,
            description = "Name of the Kinesis stream (default: ${DEFAULT-VALUE}).")
    private String stream;

    /** The function's three tables, under the names consume and the other commands default to ($dynamoDBTableName, ...). */
    @Mixin
    private TableOptions tables;

    @Option(names = "--kinesis-emulator", paramLabel = "NAME",
            description = "kinesalite (fast) or kinesis-local (more faithful, much slower) (default: kinesalite, or $KINESIS_AGGS_KINESIS_EMULATOR).")
    private String kinesisEmulator;

    private final StopSignal stopSignal;
    private final Clock clock;

    LocalCommand(StopSignal stopSignal, Clock clock) {
        this.stopSignal = stopSignal;
        this.clock = clock;
    }

    @Override
    public Integer call() throws InterruptedException {
        LocalAwsOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        TableNames names;
        try {
            names = this.tables.names();
        } catch (UserError e) { // said before anything ran, as below
            stopSignal.stopped();
            throw e;
        }
        LocalAws started;
        try {
            started = LocalAws.start(options);
        } catch (PortTakenException e) {
            // said before anything ran: no "Stopped the emulators." first, and the option that chooses that port
            stopSignal.stopped();
            String option = "Kinesis".equals(e.emulator()) ? "--kinesis-port" : "--dynamodb-port";
            throw new LocalAwsException(e.withAnotherPort("choose another one with " + option + " (0 takes a free one)"), e);
        } catch (LocalAwsException e) {
            stopSignal.stopped();
            throw e;
        }
        try (LocalAws aws = started) {
            int openShards = LocalStream.createIfMissing(aws.kinesis(), stream, shards, clock);
            try {
                Tables.createIfMissing(aws.dynamoDb(), names);
            } catch (IllegalArgumentException anotherKey) { // a table kept in --data-dir
                throw new UserError(anotherKey.getMessage() + ": give that role another table name, or another --data-dir.");
            }
            List<String> tables = Tables.definitions(names).stream().map(CreateTableRequest::tableName).toList();
            out.println("Kinesis  (" + aws.kinesisEmulator().packageName() + ") at " + aws.kinesisEndpoint() + ": stream "
                    + stream + " with " + openShards + (openShards == 1 ? " shard" : " shards"));
            out.println("DynamoDB (dynalite) at " + aws.dynamoDbEndpoint() + ": tables " + String.join(", ", tables));
            out.println(options.persistence().map(dir -> "Data kept in " + dir.toAbsolutePath() + ".")
                    .orElse("Data kept in memory until you stop (--data-dir DIR keeps it between runs)."));
            out.println();
            out.println("To use them from another shell, paste:");
            aws.environment().forEach((name, value) -> out.println("export " + name + "=" + value));
            // the AWS CLI v1 reads the region from this one only (the SDKs and CLI v2 read AWS_REGION)
            out.println("export AWS_DEFAULT_REGION=" + aws.environment().get("AWS_REGION"));
            out.println();
            out.println("Press Ctrl-C to stop.");
            out.flush();
            aws.callerSaysUnexpectedExits(); // the loop ends for one, and it is said below
            RunLoop.End end = new RunLoop(StopWaiter.start(stopSignal, () -> { }))
                    .run(Duration.ofSeconds(1), null, () -> aws.unexpectedExits().isEmpty());
            if (end == RunLoop.End.WORK) {
                // an emulator ended under its users (killed, crashed): say so and stop, rather than serve half of what was asked
                spec.commandLine().getErr().println(String.join(" ", aws.unexpectedExits()) + " "
                        + options.persistence().map(dir -> "Its data is kept in " + dir.toAbsolutePath() + ": start local again"
                                + " with the same --data-dir to go on.").orElse("Its data was in memory: start local again."));
                spec.commandLine().getErr().flush();
                return 1;
            }
        } finally {
            out.println("Stopped the emulators.");
            out.flush();
            stopSignal.stopped();
        }
        return 0;
    }

    private LocalAwsOptions options() {
        if (dataDirectory != null && dataDirectory.toString().isBlank()) { // found by probing: "" was this directory
            throw new ParameterException(spec.commandLine(), "--data-dir needs a directory: leave the option out to keep"
                    + " the data in memory");
        }
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new ParameterException(spec.commandLine(), "--shards must be between 1 and " + MAX_SHARDS + ", not " + shards);
        }
        for (int port : new int[] {kinesisPort, dynamoDbPort}) {
            if (port < 0 || port > 65535) {
                throw new ParameterException(spec.commandLine(), "A port must be between 1 and 65535 (or 0 for any free port), not " + port);
            }
        }
        if (kinesisPort != 0 && kinesisPort == dynamoDbPort) {
            throw new ParameterException(spec.commandLine(), "--kinesis-port and --dynamodb-port are both " + kinesisPort
                    + ": give each emulator a port of its own");
        }
        KinesisEmulator emulator;
        try {
            emulator = kinesisEmulator == null ? KinesisEmulator.configured() : KinesisEmulator.byPackageName(kinesisEmulator);
        } catch (LocalAwsException unknown) {
            throw new ParameterException(spec.commandLine(), unknown.getMessage());
        }
        return LocalAwsOptions.defaults()
                .withKinesisPort(kinesisPort)
                .withDynamoDbPort(dynamoDbPort)
                .withDataDirectory(dataDirectory)
                .withKinesisEmulator(emulator);
    }
}
