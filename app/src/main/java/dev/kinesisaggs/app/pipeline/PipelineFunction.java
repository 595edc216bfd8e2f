package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.invocation.FunctionInvoker;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Invoker;
import dev.kinesisaggs.esm.invocation.LambdaHandlers;
import dev.kinesisaggs.esm.runtime.ExecutionEnvironments;
import dev.kinesisaggs.esm.runtime.FunctionLog;
import dev.kinesisaggs.esm.runtime.PackagedFunction;
import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.tables.TableNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The function a command's mapping invokes, resolved from its {@link FunctionOptions}: a packaged
 * artifact in execution environments under AWS's runtime client (the default), or our handler in this
 * process. Our function gets the template's environment (the table names) and, as its own variables,
 * the endpoints that point its SDK where the command's clients point.
 */
public final class PipelineFunction {

    /** Our function's name (the metrics' dimension, {@code AWS_LAMBDA_FUNCTION_NAME}). */
    public static final String OUR_NAME = "kinesis-aggs-local";

    private final Optional<PackagedFunction> packaged;
    private final Optional<Supplier<TripWindowHandler>> inProcess;
    private final String region;
    private final String description;

    private PipelineFunction(Optional<PackagedFunction> packaged, Optional<Supplier<TripWindowHandler>> inProcess, String region,
                             String description) {
        this.packaged = packaged;
        this.inProcess = inProcess;
        this.region = region;
        this.description = description;
    }

    /**
     * @param dynamo  the command's client, which our handler uses when it runs in this process
     * @param log     the function's log: its output, and Lambda's START, END and REPORT lines
     * @param notices where to say that the function runs in this process although it was not asked to
     * @throws IllegalArgumentException with one sentence, for contradictory options
     */
    public static PipelineFunction resolve(FunctionOptions options, TableNames tables, FunctionTarget target, DynamoDbClient dynamo,
                                           PrintStream log, Clock clock, PrintStream notices) {
        options.check(tables);
        Optional<String> unsupported = ExecutionEnvironments.unsupportedPlatform();
        if (options.ours() && (options.inProcess || unsupported.isPresent())) {
            if (!options.inProcess) {
                notices.println(unsupported.get() + ": the function runs in this process instead (as with --in-process).");
            }
            FunctionConfig config = new FunctionConfig(tables, null, OUR_NAME, FunctionConfig.DEFAULT_SAFETY_MARGIN);
            // a handler per execution environment, as Lambda creates one in each: shards invoke at the same time,
            // each instance one invocation at a time
            return new PipelineFunction(Optional.empty(), Optional.of(() -> new TripWindowHandler(dynamo, config, clock, log)),
                    target.region(), "kinesis-aggs' function in this process");
        }
        Path artifact = options.artifact();
        PackagedFunction.Builder function = PackagedFunction.builder()
                .artifact(artifact)
                .handler(options.handler())
                .memorySizeMb(options.memorySize)
                .region(target.region())
                .credentials(target.credentials())
                .environment(target.endpointVariables())
                .log(FunctionLog.to(log));
        if (options.ours()) {
            function.functionName(OUR_NAME).environment(tables.toEnvironment());
        } else {
            function.functionName(options.foreignFunctionName());
        }
        function.environment(options.environment);
        return new PipelineFunction(Optional.of(function.build()), Optional.empty(), target.region(),
                artifact.getFileName() + " (" + options.handler() + ") under AWS's Lambda runtime client, " + options.memorySize
                        + " MB, one JVM per shard");
    }

    /** True when the function runs in execution environments under AWS's runtime client (which writes START, END and REPORT). */
    public boolean underRuntimeClient() {
        return packaged.isPresent();
    }

    /** Gives the mapping this function. */
    EventSourceMapping.Builder attachTo(EventSourceMapping.Builder mapping) {
        packaged.ifPresent(mapping::packagedFunction);
        inProcess.ifPresent(mapping::handlerFactory);
        return mapping;
    }

    /** An invoker that must be closed after use: it may hold execution environments. */
    public interface OwnInvoker extends Invoker, AutoCloseable {
        @Override
        void close();

        static OwnInvoker of(Invoker invoker, Runnable close) {
            return new OwnInvoker() {
                @Override
                public InvocationResult invoke(String lane, String eventJson) {
                    return invoker.invoke(lane, eventJson);
                }

                @Override
                public void close() {
                    close.run();
                }
            };
        }
    }

    /** The function as an invoker of its own, for a delivery outside a mapping (a redrive). */
    public OwnInvoker invoker(Duration timeout, Clock clock) {
        String arn = functionArn();
        Supplier<String> requestIds = () -> UUID.randomUUID().toString();
        if (packaged.isPresent()) {
            ExecutionEnvironments environments = new ExecutionEnvironments(packaged.get(), arn, region, timeout, requestIds, clock);
            return OwnInvoker.of(environments, environments::close);
        }
        ExecutorService watchdog = FunctionInvoker.newWatchdogExecutor();
        return OwnInvoker.of(new FunctionInvoker(LambdaHandlers.timeWindow(inProcess.orElseThrow().get()), clock, timeout, arn, requestIds,
                Optional.of(watchdog)), watchdog::shutdownNow);
    }

    /** The ARN the function is invoked as: its execution environments take its name from it. */
    public String functionArn() {
        return "arn:aws:lambda:" + region + ":000000000000:function:" + name();
    }

    /** The function's name, as the mapping's function ARN ends. */
    String name() {
        return packaged.flatMap(PackagedFunction::functionName).orElse(OUR_NAME);
    }

    /** The region the function runs in, as the events' {@code awsRegion} says. */
    String region() {
        return region;
    }

    /** One phrase: what runs, and how. */
    public String describe() {
        return description;
    }
}
