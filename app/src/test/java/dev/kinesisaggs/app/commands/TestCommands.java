package dev.kinesisaggs.app.commands;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import picocli.CommandLine;

/** A subcommand as the real command line runs it (its error handling included), its output into a writer. */
public final class TestCommands {

    private TestCommands() {
    }

    public static CommandLine command(Object subcommand, StringWriter out) {
        return command(subcommand, out, out);
    }

    /** As above, with standard error into a writer of its own. */
    public static CommandLine command(Object subcommand, StringWriter out, StringWriter err) {
        CommandLine commandLine = new CommandLine(subcommand);
        CommandLine root = KinesisAggs.commandLine(() -> { }, Clock.systemUTC());
        commandLine.setParameterExceptionHandler(root.getParameterExceptionHandler())
                .setExecutionExceptionHandler(root.getExecutionExceptionHandler());
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine;
    }
}
