package dev.kinesisaggs.app;

import dev.kinesisaggs.localaws.LocalAwsException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A user's mistake (a bad option, a missing file, a missing table or stream, credentials that may not do it) is one
 * sentence without a stack trace and exit code {@link #USAGE}; the emulators failing to start (a missing prerequisite
 * such as Node.js, a port in use) is one sentence and {@link #FAILED}; anything else is a bug and shows its trace.
 */
public final class UserErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {
    public static final int USAGE = 2;
    public static final int FAILED = 1;
    public static final int BUG = 70;

    private static final Pattern NOT_KEY_VALUE =
            Pattern.compile("Value for option (?:option )?'(\\S+)' \\(([^)]*)\\) should be in KEY=VALUE format but was (.*)", Pattern.DOTALL);

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        Optional<String> word = unmatchedWord(e);
        if (word.isPresent() && command.getParent() == null) {
            err.println("'" + word.get() + "' is not a command: choose one of "
                    + String.join(", ", command.getSubcommands().keySet()) + ".");
            err.println("Run 'kinesis-aggs --help' for what each does.");
            err.flush();
            return USAGE;
        }
        err.println(sentence(takenElsewhere(e).or(() -> picocliInOurWords(e)).orElse(inOurWords(asTyped(e, args))))
                + didYouMean(e));
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

    /**
     * For an option that this command does not take but another does (a mapping setting that {@code demo} fixes, for
     * one): which commands take it, instead of picocli's list of every word it did not match.
     */
    private static Optional<String> takenElsewhere(ParameterException e) {
        CommandLine command = e.getCommandLine();
        if (!(e instanceof UnmatchedArgumentException unmatched) || command.getParent() == null) {
            return Optional.empty();
        }
        Optional<String> option = unmatched.getUnmatched().stream().filter(a -> a.startsWith("--"))
                .map(a -> a.split("=", 2)[0]).findFirst();
        if (option.isEmpty()) {
            return Optional.empty();
        }
        List<String> others = command.getParent().getSubcommands().values().stream().distinct()
                .filter(c -> c != command && c.getCommandSpec().findOption(option.get()) != null)
                .map(CommandLine::getCommandName).toList();
        if (others.isEmpty()) {
            return Optional.empty();
        }
        String takers = others.size() == 1 ? others.get(0)
                : String.join(", ", others.subList(0, others.size() - 1)) + " and " + others.get(others.size() - 1);
        return Optional.of(command.getCommandName() + " does not take " + option.get() + ": "
                + command.getParent().getCommandName() + " " + takers + (others.size() == 1 ? " does" : " do"));
    }

    /** For a mistyped option, the closest ones picocli finds ({@code --durration}: {@code --duration}), else nothing. */
    private static String didYouMean(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched) || takenElsewhere(e).isPresent()) {
            return "";
        }
        List<String> close = unmatched.getSuggestions().stream().filter(s -> s.startsWith("--")).limit(2).toList();
        return close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close) + "?";
    }

    /**
     * The message with each option named as the user typed it: picocli names an option by its longest name, and our own
     * sentences by its short one, so a bad {@code --window 1.5} would be blamed on {@code --tumbling-window-in-seconds},
     * and a bad {@code --tumbling-window-in-seconds 500ms} on {@code --window}, neither of which the user wrote.
     */
    private static String asTyped(ParameterException e, String[] args) {
        String message = e.getMessage();
        if (args == null || message == null) {
            return message;
        }
        for (CommandLine.Model.OptionSpec option : e.getCommandLine().getCommandSpec().options()) {
            List<String> typed = Arrays.stream(args).map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
                    .filter(List.of(option.names())::contains).distinct().toList();
            if (option.names().length < 2 || typed.size() != 1) {
                continue; // one name only, not given, or given under two names (a sentence may name both)
            }
            for (String name : option.names()) {
                if (!name.equals(typed.get(0))) {
                    message = message.replaceAll("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])",
                            Matcher.quoteReplacement(typed.get(0)));
                }
            }
        }
        return message;
    }

    /** Two of picocli's own sentences, which read as a parser's: an argument a command does not take, two options of one. */
    private static Optional<String> picocliInOurWords(ParameterException e) {
        Optional<String> word = unmatchedWord(e);
        if (word.isPresent()) { // a command's (kinesis-aggs' own is said by handleParseException)
            return Optional.of(e.getCommandLine().getCommandName() + " takes options only, not '" + word.get()
                    + "' (an option's value goes right after its name)");
        }
        if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
            List<String> options = OPTION_NAME.matcher(String.valueOf(e.getMessage())).results().map(MatchResult::group).toList();
            if (options.size() >= 2) {
                return Optional.of("Give only one of " + String.join(", ", options.subList(0, options.size() - 1)) + " and "
                        + options.get(options.size() - 1) + (options.size() == 2 ? ", not both" : ", not several"));
            }
        }
        return Optional.empty();
    }

    private static final Pattern OPTION_NAME = Pattern.compile("--[a-z][a-z0-9-]*");

    /** The first argument picocli could not place, when it is a word and not an option. */
    private static Optional<String> unmatchedWord(ParameterException e) {
        return e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-") ? Optional.of(unmatched.getUnmatched().get(0)) : Optional.empty();
    }

    /** picocli's phrasing of a map option's value without '=' ("Value for option option '--environment' ..."), in ours. */
    private static String inOurWords(String message) {
        Matcher m = NOT_KEY_VALUE.matcher(message);
        return m.matches() ? m.group(1) + " takes " + m.group(2) + ", not '" + m.group(3) + "'" : message;
    }

    private static String sentence(String message) {
        String trimmed = message.strip();
        return trimmed.endsWith(".") ? trimmed : trimmed + ".";
    }
}
