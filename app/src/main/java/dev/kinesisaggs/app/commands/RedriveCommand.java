package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.AwsErrors;
import dev.kinesisaggs.app.EndpointOptions;
import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.pipeline.AwsClients;
import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.app.pipeline.PipelineFunction;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.destination.S3Destination;
import dev.kinesisaggs.esm.redrive.FailureRecord;
import dev.kinesisaggs.esm.redrive.FailureRecordSource;
import dev.kinesisaggs.esm.redrive.WindowRedrive.ShardWindow;
import dev.kinesisaggs.esm.redrive.WindowRedrive;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.function.tables.TableNames;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code kinesis-aggs redrive}: what the event source mapping gave up, delivered again from the stream. See
 * {@link WindowRedrive} for how, and the function README for why it counts each record once.
 */
@Command(name = "redrive",
        header = "Delivers again, from the stream, the windows whose records an event source mapping gave up.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reads the on-failure records (the JSON-lines file, the SQS queue or the S3 bucket of the mapping's destination), reads "
            + "each shard window they touch again from the stream, and delivers it to the function as a fresh delivery "
            + "of the whole window: the aggregates then count each of its records once, however often it is redriven. "
            + "Records the stream no longer holds are listed; lines that are not on-failure records, and records whose shard or "
            + "stream does not exist, are named and skipped, and the others redriven. Endpoints, region and credentials are the SDK's, or "
            + "--endpoint-url and --region as the AWS CLI takes them.",
        footer = {"", "Examples:",
            "  ./kinesis-aggs redrive --from failures.jsonl --window 30s",
            "  ./kinesis-aggs redrive --from \\",
            "    https://sqs.us-east-1.amazonaws.com/123456789012/kinesis-aggs-failures",
            "  ./kinesis-aggs redrive --from s3://kinesis-aggs-failures/aws/lambda/"})
public final class RedriveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "FILE|QUEUE|BUCKET", required = true,
            description = "The on-failure records: a JSON-lines file, an SQS queue URL or ARN (its messages are deleted once"
                    + " redriven), or an S3 bucket as arn:aws:s3:::BUCKET or s3://BUCKET/PREFIX (its objects are left in place).")
    String from;

    @Option(names = "--stream", paramLabel = "NAME", converter = AwsNames.Stream.class,
            description = "The stream to read (default: the one each record names).")
    String stream;

    @Option(names = "--window", paramLabel = "DURATION", converter = Durations.class, defaultValue = "30s",
            description = "The mapping's TumblingWindowInSeconds (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--spanning-records",
            description = "Redrive an on-failure record whose records arrived over more than one --window window in each window"
                    + " it touches (refused otherwise: our mapping's records never span windows, so such a record means --window"
                    + " is not the mapping's; AWS does not document that its own never do).")
    boolean spanningRecords;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000", description = "Records per invocation (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--function-timeout", paramLabel = "DURATION", converter = Durations.class, defaultValue = "60s",
            description = "The function's timeout (default: ${DEFAULT-VALUE}).")
    Duration functionTimeout;

    @Mixin
    FunctionOptions function;

    @Mixin
    TableOptions tables;

    @Mixin
    EndpointOptions endpoint;

    @Option(names = "--function-log", paramLabel = "FILE",
            description = "Write the function's log to FILE instead of the standard output.")
    Path functionLog;

    private final AwsClients clients;
    private final Clock clock;

    public RedriveCommand(AwsClients clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // checked before anything starts, not when the first window is redriven (or never, when there is none)
        if (batchSize < 1 || batchSize > 10_000) {
            throw new ParameterException(spec.commandLine(), "--batch-size must be from 1 to 10000, as the mapping's, not " + batchSize);
        }
        TableNames tables = this.tables.names();
        try {
            // as the mapping's window and Lambda's timeout are bounded
            Durations.wholeSeconds("--window", window, 1, EventSourceMappingConfig.MAX_TUMBLING_WINDOW_SECONDS);
            Durations.wholeSeconds("--function-timeout", functionTimeout, 1, 900);
            function.check(tables);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean queue = from.startsWith("arn:aws:sqs:") || from.startsWith("https://") || from.startsWith("http://");
        boolean bucket = S3Destination.isBucketArn(from) || from.startsWith("s3://");
        if (!queue && !bucket && !Files.isRegularFile(Path.of(from))) {
            throw new ParameterException(spec.commandLine(), notAFile(from));
        }
        if (bucket && bucketPrefix().bucket().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " names no bucket: write arn:aws:s3:::BUCKET or"
                    + " s3://BUCKET/PREFIX");
        }
        AwsClients clients = this.clients.at(endpoint);
        try (KinesisClient kinesis = clients.kinesis(); DynamoDbClient dynamo = clients.dynamoDb();
             SqsClient sqs = queue ? clients.sqs() : null;
             S3Client s3 = bucket ? clients.s3() : null;
             PrintStream log = functionLog == null ? null : new PrintStream(Files.newOutputStream(functionLog), true)) {
            FailureRecordSource source = queue ? FailureRecordSource.queue(sqs, queueUrl(sqs), (int) Math.max(60, 3 * functionTimeout.toSeconds()))
                    : bucket ? FailureRecordSource.bucket(s3, bucketPrefix().bucket(), bucketPrefix().prefix()) : FailureRecordSource.file(Path.of(from));
            List<FailureRecordSource.Pending> pending = source.read();
            List<FailureRecord> records = new ArrayList<>();
            // where each record was read (a line, a message, an object), to name it if it cannot be redriven
            Map<FailureRecord, String> origins = new IdentityHashMap<>();
            int unreadable = 0;
            for (FailureRecordSource.Pending p : pending) {
                if (p.record() == null) {
                    out.println(p.origin() + ": not redriven, " + p.unreadable() + ".");
                    unreadable++;
                } else {
                    records.add(p.record());
                    origins.put(p.record(), p.origin());
                }
            }
            if (records.isEmpty()) {
                out.println("No on-failure records to redrive in " + from + ".");
                out.flush();
                return unreadable == 0 ? 0 : 1;
            }
            try {
                if (!spanningRecords) {
                    WindowRedrive.requireOneWindowEach(records, (int) window.toSeconds());
                }
            } catch (IllegalArgumentException e) {
                pending.forEach(p -> p.released().run()); // a queue's messages back for the run with the right --window
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            PipelineFunction chosen;
            try {
                chosen = PipelineFunction.resolve(function, tables, clients.functionTarget(), dynamo,
                        log == null ? System.out : log, clock, System.err);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            out.println("Redriving " + records.size() + " on-failure record" + (records.size() == 1 ? "" : "s") + " from " + from
                    + " with " + chosen.describe() + ".");
            out.flush();
            int failed = unreadable;
            int missing = 0;
            // with our own function, what its aggregates table counted of each window before and after: what the
            // on-failure record, in AWS's format, cannot say
            Optional<AggregatesQuery> counted = function.ours() ? Optional.of(new AggregatesQuery(dynamo, tables.aggregates()))
                    : Optional.empty();
            try (PipelineFunction.OwnInvoker invoker = chosen.invoker(functionTimeout, clock)) {
                WindowRedrive redrive = new WindowRedrive(kinesis, invoker, clients.functionTarget().region(),
                        "arn:aws:iam::000000000000:role/kinesis-aggs-redrive", (int) window.toSeconds(), batchSize);
                Map<ShardWindow, List<FailureRecord>> windows = redrive.byWindow(records, Optional.ofNullable(stream));
                List<FailureRecord> notDone = new ArrayList<>();
                Set<FailureRecord> named = Collections.newSetFromMap(new IdentityHashMap<>()); // once, over the windows it spans
                for (Map.Entry<ShardWindow, List<FailureRecord>> w : windows.entrySet()) {
                    WindowRedrive.Read result = redrive.read(w.getKey());
                    if (result instanceof WindowRedrive.NoSuchShard gone) {
                        // not redriven, as a line that is not such a record: the others are, and the summary counts it
                        w.getValue().stream().filter(named::add).forEach(r -> out.println(origins.get(r) + ": not redriven, "
                                + gone.reason() + ": the records it names cannot be read back."));
                        notDone.addAll(w.getValue());
                        continue;
                    }
                    List<StreamRecord> read = ((WindowRedrive.Records) result).records();
                    for (FailureRecord r : w.getValue()) {
                        WindowRedrive.Held held = WindowRedrive.held(r, w.getKey(), read);
                        if (held.missingBefore().isPresent()) {
                            missing++;
                            out.println(r.describe() + ": no longer in the stream (expired, or the shard is gone): "
                                    + held.missingBefore().get() + ".");
                        }
                    }
                    if (read.isEmpty()) {
                        notDone.addAll(w.getValue());
                        continue;
                    }
                    Optional<String> before = counted.map(q -> counted(q, w.getKey(), read.size()));
                    WindowRedrive.Redriven done = redrive.deliver(w.getKey(), read);
                    out.println(w.getKey().shardId() + " window " + w.getKey().window() + ": " + before.map(b -> b + "; ").orElse("")
                            + (done.succeeded()
                            ? "redriven, " + done.records() + " records in " + done.invocations() + " invocations"
                                    + counted.map(q -> "; now " + counted(q, w.getKey(), read.size())).orElse("") + "."
                            : "not redriven, " + done.failure().get() + "."));
                    out.flush();
                    if (!done.succeeded()) {
                        notDone.addAll(w.getValue());
                    }
                }
                for (FailureRecordSource.Pending p : pending) {
                    if (p.record() != null && !notDone.contains(p.record())) {
                        p.redriven().run();
                    } else if (p.record() != null) {
                        failed++;
                    }
                }
            }
            if (failed == 0 && missing == 0) {
                out.println("Done: every window touched is delivered again.");
            } else if (failed == 0) {
                out.println("Done, but the stream no longer holds records of " + missing + " on-failure record"
                        + (missing == 1 ? "" : "s") + " (listed above): what it still holds is delivered again.");
            } else {
                out.println("Done, but " + failed + " on-failure record" + (failed == 1 ? " was" : "s were") + " not redriven"
                        + " (see above); " + (queue ? "they stay in the queue." : "run again once the cause is fixed."));
            }
            out.flush();
            return failed == 0 && missing == 0 ? 0 : 1;
        } catch (SdkClientException e) {
            throw AwsErrors.cannotReach("Kinesis, DynamoDB, SQS or S3", e);
        } catch (IllegalStateException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** What the aggregates table counts of a shard's window, against the records the stream holds of it. */
    static String counted(AggregatesQuery query, ShardWindow window, int recordsInStream) {
        return counted(query.shardWindow(window.window().start(), window.shardId()), recordsInStream);
    }

    static String counted(AggregatesQuery.ShardWindowCount count, int recordsInStream) {
        String uncounted = count.uncountedParts() == 0 ? ""
                : " (and " + count.uncountedParts() + " part" + (count.uncountedParts() == 1 ? "" : "s")
                        + " of other runs of it, not counted: replaced by a run that covered as many records, or not complete)";
        if (count.countedElsewhere()) {
            return "the aggregates count the " + recordsInStream + " records the stream holds under a window of another length,"
                    + " whose run holds them" + uncounted;
        }
        if (count.countedRecords().isEmpty()) {
            return "the aggregates counted none of the " + recordsInStream + " records the stream holds" + uncounted;
        }
        long counted = count.countedRecords().getAsLong();
        if (counted > recordsInStream) {
            // a run under this start that covered more than the window: one of a longer window (a redrive's --window)
            return "the aggregates counted " + counted + " records under this window's start, more than the " + recordsInStream
                    + " the stream holds for it: a run of a longer window holds them" + uncounted;
        }
        return "the aggregates counted " + counted + " of the " + recordsInStream + " records the stream holds" + uncounted;
    }

    /**
     * Why {@code --from} names nothing to read. A value that is no URL and no ARN was meant as a file: say what is wrong
     * with the file, not what else it could have been.
     */
    private static String notAFile(String from) {
        if (from.contains("://") || from.startsWith("arn:")) {
            return "--from " + from + " is neither a file, an SQS queue URL or ARN, nor an S3 bucket";
        }
        String what = Files.exists(Path.of(from)) ? " is not a file (a directory?)" : ": the file does not exist";
        return "--from " + from + what + "; give the JSON-lines file of the on-failure records, an SQS queue URL or ARN, or an"
                + " S3 bucket";
    }

    /** A bucket and the prefix of the failure objects in it. */
    private record BucketPrefix(String bucket, String prefix) {
    }

    /**
     * What {@code --from} names: {@code arn:aws:s3:::BUCKET} (every object under {@code aws/lambda/}, where the
     * destination writes) or {@code s3://BUCKET/PREFIX}; the bucket is empty when it names none.
     */
    private BucketPrefix bucketPrefix() {
        if (from.startsWith("s3://")) {
            String path = from.substring("s3://".length());
            int slash = path.indexOf('/');
            return slash < 0 ? new BucketPrefix(path, "") : new BucketPrefix(path.substring(0, slash), path.substring(slash + 1));
        }
        return new BucketPrefix(from.substring(from.lastIndexOf(':') + 1), "aws/lambda/");
    }

    private String queueUrl(SqsClient sqs) {
        if (!from.startsWith("arn:aws:sqs:")) {
            return from;
        }
        String[] parts = from.split(":");
        if (parts.length != 6) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " is not an SQS queue ARN: write it as"
                    + " arn:aws:sqs:REGION:ACCOUNT:QUEUE, or give the queue URL");
        }
        return sqs.getQueueUrl(b -> b.queueName(parts[5]).queueOwnerAWSAccountId(parts[4])).queueUrl();
    }
}
