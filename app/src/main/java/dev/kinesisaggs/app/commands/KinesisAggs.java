package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.Logging;
import dev.kinesisaggs.app.StopSignal;
import dev.kinesisaggs.app.UserErrors;
import dev.kinesisaggs.app.VersionProvider;
import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.app.pipeline.FunctionOptions;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code kinesis-aggs} command line: the composition root of every command. */
@Command(name = "kinesis-aggs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Per-vendor tumbling-window aggregates of NYC taxi trips from Kinesis into DynamoDB, "
                + "on AWS Lambda and on a laptop against local emulators.")
public final class KinesisAggs implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        Logging.configure();
        System.exit(commandLine(StopSignal.onShutdown(), Clock.systemUTC()).execute(args));
    }

    /** Every subcommand is registered here. */
    public static CommandLine commandLine(StopSignal stopSignal, Clock clock) {
        UserErrors userErrors = new UserErrors();
        CommandLine commandLine = new CommandLine(new KinesisAggs())
                .addSubcommand(new LocalCommand(stopSignal, clock))
                .addSubcommand(new ProduceCommand(stopSignal, AwsClients.fromEnvironment()))
                .addSubcommand(new ConsumeCommand(stopSignal, AwsClients.fromEnvironment(), clock))
                .addSubcommand(new RedriveCommand(AwsClients.fromEnvironment(), clock))
                .addSubcommand(new DemoCommand(stopSignal, clock))
                .addSubcommand(new AggregatesCommand())
                .addSubcommand(new RejectsCommand())
                .addSubcommand(new DashboardCommand(stopSignal, clock))
                .addSubcommand(new ChaosCommand(clock))
                .addSubcommand(new CommandLine.HelpCommand())
                .registerConverter(Integer.class, Numbers::wholeInt).registerConverter(int.class, Numbers::wholeInt)
                .registerConverter(Long.class, Numbers::wholeLong).registerConverter(long.class, Numbers::wholeLong)
                .registerConverter(Double.class, Numbers::decimal).registerConverter(double.class, Numbers::decimal)
                .setParameterExceptionHandler(userErrors)
                .setExecutionExceptionHandler(userErrors);
        // -V on a command says the version, as on kinesis-aggs itself (its standard options' -V printed nothing)
        for (CommandLine command : commandLine.getSubcommands().values()) {
            command.getCommandSpec().versionProvider(new VersionProvider());
        }
        // the demo shows our own function: it does not list (or take) the options that run another one
        CommandSpec demo = commandLine.getSubcommands().get("demo").getCommandSpec();
        for (String option : FunctionOptions.ANOTHER_FUNCTION) {
            demo.remove(demo.findOption(option));
        }
        return commandLine;
    }

    /** Without a subcommand: say which ones there are. */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "Missing a command: choose one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
