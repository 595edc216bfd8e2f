package dev.kinesisaggs.app;

import dev.kinesisaggs.localaws.LocalAwsException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * A user's mistake (a bad option, a missing file, a missing table or stream, credentials that may not do it) is one
 * sentence without a stack trace and exit code {@link #USAGE}; the emulators failing to start (a missing prerequisite
 * such as Node.js, a port in use) is one sentence and {@link #FAILED}; anything else is a bug and shows its trace.
 */
final class UserErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int USAGE = 2;
    static final int FAILED = 1;
    static final int BUG = 70;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(sentence(e.getMessage()));
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        if (e instanceof UserError) {
            err.println(e.getMessage());
            err.flush();
            return USAGE;
        }
        if (e instanceof LocalAwsException) {
            err.println(e.getMessage());
            err.flush();
            return FAILED;
        }
        Optional<String> sentence = AwsErrors.sentence(e);
        if (sentence.isPresent()) {
            err.println(sentence.get());
            err.flush();
            return USAGE;
        }
        err.println("kinesis-aggs failed unexpectedly; please report this with the trace below.");
        e.printStackTrace(err);
        err.flush();
        return BUG;
    }

    private static String sentence(String message) {
        String trimmed = message.strip();
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }
}
