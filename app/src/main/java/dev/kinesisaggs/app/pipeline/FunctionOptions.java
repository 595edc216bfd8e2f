package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.esm.runtime.LambdaJvmFlags;
import dev.kinesisaggs.esm.runtime.PackagedFunction;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.tables.TableNames;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which function the mapping invokes, and how. By default, kinesis-aggs' own deployable artifact
 * ({@code function/target/kinesis-aggs-function-lambda.jar}, the template's {@code CodeUri}) run as
 * Lambda runs it: under AWS's runtime interface client, in execution environments (one JVM per
 * shard), sized by {@code --memory-size}. {@code --function-jar} with {@code --handler} runs any
 * Java Lambda artifact with a Kinesis handler the same way; {@code --in-process} runs our handler in
 * this JVM instead (quicker to start, less like Lambda).
 */
public final class FunctionOptions {

    /** A Java handler as Lambda's Handler setting names it: a class, optionally {@code ::} and a method. */
    private static final java.util.regex.Pattern HANDLER = java.util.regex.Pattern.compile(
            "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*"
                    + "(::\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)?");
    /** The options that run another function than ours. */
    public static final java.util.List<String> ANOTHER_FUNCTION = java.util.List.of("--function-jar", "--handler", "--function-name");
    /** Lambda's FunctionName (a name, not an ARN). */
    private static final java.util.regex.Pattern FUNCTION_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Our handler, as the template's {@code Handler}. */
    public static final String OUR_HANDLER = "dev.kinesisaggs.function.TripWindowStreamHandler::handleRequest";
    /** The template's {@code FunctionMemorySize}. */
    public static final int DEFAULT_MEMORY_MB = 1769;
    /** Where the build leaves our artifact, from the repository's root. */
    static final Path OUR_ARTIFACT = Path.of("function", "target", "kinesis-aggs-function-lambda.jar");
    /** Set by the launcher: our artifact's path. */
    public static final String ARTIFACT_PROPERTY = "kinesisaggs.functionJar";

    @Option(names = "--function-jar", paramLabel = "FILE",
            description = "A Java Lambda deployment package (.jar or .zip) to run instead of kinesis-aggs' own, as Lambda runs it;"
                    + " give its --handler too.")
    Path functionJar;

    @Option(names = "--handler", paramLabel = "CLASS[::METHOD]",
            description = "The handler of --function-jar, as Lambda's Handler setting names it (a Kinesis handler:"
                    + " RequestHandler of KinesisEvent or KinesisTimeWindowEvent, or RequestStreamHandler).")
    String handler;

    @Option(names = "--function-name", paramLabel = "NAME",
            description = "FunctionName of --function-jar's function (default: the file's name without its extension, other"
                    + " characters than letters, digits, - and _ made -): a mapping keeps its checkpoints per function, so two"
                    + " functions of different names on one stream each get every record.")
    String functionName;

    @Option(names = "--memory-size", paramLabel = "MB", defaultValue = "" + DEFAULT_MEMORY_MB,
            description = "MemorySize of the function, 128-10240 MB (kinesis-aggs' own: 256 or more, as its template allows): its"
                    + " JVM is sized from it as Lambda's Java runtime sizes it (default: ${DEFAULT-VALUE}, the template's).")
    int memorySize = DEFAULT_MEMORY_MB;

    @Option(names = "--environment", paramLabel = "NAME=VALUE",
            description = "One of the function's own environment variables (repeat it for more).")
    Map<String, String> environment = new LinkedHashMap<>();

    @Option(names = "--in-process",
            description = "Run kinesis-aggs' function in this JVM instead of under AWS's runtime client (quicker to start, less like Lambda).")
    boolean inProcess;

    /** True when the function is ours (no {@code --function-jar}). */
    public boolean ours() {
        return functionJar == null;
    }

    /**
     * Refuses contradictory options.
     *
     * @param tables the tables the command gives our function (and checks): a function environment variable may repeat
     *               them, not name others
     * @throws IllegalArgumentException with one sentence
     */
    public void check(TableNames tables) {
        if (functionJar != null && handler == null) {
            throw new IllegalArgumentException("--function-jar needs --handler too: name the handler as Lambda's Handler setting does,"
                    + " e.g. com.example.Handler::handleRequest");
        }
        if (functionJar == null && handler != null) {
            throw new IllegalArgumentException("--handler names the handler of --function-jar: give both, or neither for kinesis-aggs' own function");
        }
        if (functionJar == null && functionName != null) {
            throw new IllegalArgumentException("--function-name names the function of --function-jar: kinesis-aggs' own is "
                    + PipelineFunction.OUR_NAME);
        }
        if (functionName != null && !FUNCTION_NAME.matcher(functionName).matches()) {
            throw new IllegalArgumentException("--function-name '" + functionName + "' is not a function name as Lambda takes one:"
                    + " 1 to 64 letters, digits, hyphens or underscores");
        }
        if (functionJar != null && PipelineFunction.OUR_NAME.equals(foreignFunctionName())) {
            // the function's name is part of the mapping's identity: it would take over our function's checkpoints
            throw new IllegalArgumentException("--function-jar's function would be named " + PipelineFunction.OUR_NAME
                    + ", as kinesis-aggs' own function is: give it another name with --function-name");
        }
        if (functionJar != null && inProcess) {
            throw new IllegalArgumentException("--in-process runs kinesis-aggs' own function: leave it out to run --function-jar");
        }
        if (functionJar != null && !Files.isRegularFile(functionJar) && !Files.isDirectory(functionJar)) {
            throw new IllegalArgumentException("--function-jar " + functionJar + " does not exist: give the path of a .jar or .zip");
        }
        if (handler != null && !HANDLER.matcher(handler).matches()) {
            throw new IllegalArgumentException("--handler " + handler + " is not a handler as Lambda's Handler setting names one:"
                    + " write the class, e.g. com.example.Handler, or the class and method, e.g. com.example.Handler::handleRequest");
        }
        if (functionJar != null) {
            String handlerClass = handler.split("::")[0];
            if (!ArtifactClasses.holds(functionJar, handlerClass)) {
                throw new IllegalArgumentException("--handler " + handler + " names the class " + handlerClass + ", which " + functionJar
                        + " does not hold (at its root or in its lib/*.jar, where Lambda's Java runtime looks): name a class of the artifact");
            }
        }
        if (ours()) {
            // the command sets these from its tables, which it has checked exist; a variable naming another table would
            // win over them unchecked, and a table that is not there fails every batch for ever
            Map<String, String> set = tables.toEnvironment();
            for (Map.Entry<String, String> variable : environment.entrySet()) {
                if (!set.containsKey(variable.getKey())) {
                    continue;
                }
                Map<String, String> with = new LinkedHashMap<>(set);
                with.put(variable.getKey(), variable.getValue());
                if (!TableNames.fromEnvironment(with).equals(tables)) {
                    throw new IllegalArgumentException("--environment " + variable.getKey() + "=" + variable.getValue()
                            + " names another table than the command gives kinesis-aggs' function ('" + set.get(variable.getKey())
                            + "'), which it checks: name the table with the command's option (--table, --trips-table or"
                            + " --rejects-table) instead");
                }
            }
        }
        new LambdaJvmFlags(memorySize); // refuses what Lambda refuses
        if (ours() && !inProcess && memorySize < FunctionConfig.MIN_MEMORY_MB) {
            throw new IllegalArgumentException("kinesis-aggs' function needs --memory-size " + FunctionConfig.MIN_MEMORY_MB
                    + " or more, as its template allows: at " + memorySize + " MB the java21 runtime's metaspace (a tenth of the"
                    + " memory) does not hold its classes, and every invocation ends in OutOfMemoryError: Metaspace");
        }
        PackagedFunction.checkEnvironment(environment);
    }

    /** Options parsed from {@code arguments} as a command line gives them ({@link #arguments} makes them). */
    public static FunctionOptions parse(List<String> arguments) {
        @Command
        final class Holder {
            @Mixin
            FunctionOptions options = new FunctionOptions();
        }
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(arguments.toArray(String[]::new));
        return holder.options;
    }

    /** The options as a command line gives them, for another process to {@link #parse} (paths made absolute). */
    public List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        if (functionJar != null) {
            arguments.addAll(List.of("--function-jar", functionJar.toAbsolutePath().toString()));
        }
        if (handler != null) {
            arguments.addAll(List.of("--handler", handler));
        }
        if (functionName != null) {
            arguments.addAll(List.of("--function-name", functionName));
        }
        arguments.addAll(List.of("--memory-size", Integer.toString(memorySize)));
        environment.forEach((name, value) -> arguments.addAll(List.of("--environment", name + "=" + value)));
        if (inProcess) {
            arguments.add("--in-process");
        }
        return arguments;
    }

    /**
     * The name of {@code --function-jar}'s function: {@code --function-name}, or the artifact's file name without its
     * extension, its other characters than Lambda takes in a name made hyphens. Never "function" for every artifact: the
     * function's ARN is part of a mapping's identity, so two artifacts on one stream then shared checkpoints.
     */
    String foreignFunctionName() {
        if (functionName != null) {
            return functionName;
        }
        Path fileName = functionJar.toAbsolutePath().normalize().getFileName();
        if (fileName == null) { // the root directory
            return "function";
        }
        String file = fileName.toString();
        String stem = file.contains(".") && !Files.isDirectory(functionJar) ? file.substring(0, file.lastIndexOf('.')) : file;
        String name = stem.replaceAll("[^A-Za-z0-9_-]", "-");
        return name.isEmpty() ? "function" : name.substring(0, Math.min(64, name.length()));
    }

    String handler() {
        return ours() ? OUR_HANDLER : handler;
    }

    /** The artifact to run: {@code --function-jar}, or ours where the build leaves it. */
    Path artifact() {
        if (functionJar != null) {
            return functionJar;
        }
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty(ARTIFACT_PROPERTY)).filter(p -> !p.isBlank()).map(Path::of).ifPresent(candidates::add);
        candidates.add(OUR_ARTIFACT);
        candidates.add(Path.of("..").resolve(OUR_ARTIFACT)); // from a module's directory, as the tests run
        codeLocation().ifPresent(jar -> candidates.add(jar.resolveSibling("..").resolve("..").resolve(OUR_ARTIFACT).normalize()));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new UserError(
                "The packaged function " + candidates.get(0) + " is missing: build it with ./mvnw -pl function -am package"
                        + " (the ./kinesis-aggs launcher does), or run the function in this process with --in-process."));
    }

    /** The jar (or classes directory) this command line runs from, e.g. {@code app/target/kinesis-aggs.jar}. */
    private static Optional<Path> codeLocation() {
        try {
            return Optional.of(Path.of(FunctionOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
