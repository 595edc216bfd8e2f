package dev.kinesisaggs.esm;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import dev.kinesisaggs.esm.checkpoint.CheckpointStore;
import dev.kinesisaggs.esm.checkpoint.ForeignCheckpointException;
import dev.kinesisaggs.esm.checkpoint.InMemoryCheckpointStore;
import dev.kinesisaggs.esm.checkpoint.LeasedCheckpoints;
import dev.kinesisaggs.esm.checkpoint.MappingInUseException;
import dev.kinesisaggs.esm.checkpoint.MappingLease;
import dev.kinesisaggs.esm.checkpoint.MappingIdentity;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.coordinator.MappingRunner;
import dev.kinesisaggs.esm.coordinator.ShardCoordinator;
import dev.kinesisaggs.esm.destination.FailureDestination;
import dev.kinesisaggs.esm.destination.JsonLinesFileDestination;
import dev.kinesisaggs.esm.destination.S3Destination;
import dev.kinesisaggs.esm.destination.SqsDestination;
import dev.kinesisaggs.esm.invocation.ConcurrencyLimit;
import dev.kinesisaggs.esm.invocation.FunctionInvoker;
import dev.kinesisaggs.esm.invocation.HandlerInstances;
import dev.kinesisaggs.esm.invocation.Invoker;
import dev.kinesisaggs.esm.invocation.LambdaFunction;
import dev.kinesisaggs.esm.invocation.LambdaHandlers;
import dev.kinesisaggs.esm.metrics.MappingStatus;
import dev.kinesisaggs.esm.processor.InvocationExecutor;
import dev.kinesisaggs.esm.processor.InvocationListener;
import dev.kinesisaggs.esm.processor.MappingParts;
import dev.kinesisaggs.esm.processor.ShardProcessor;
import dev.kinesisaggs.esm.retrieval.ShardInfo;
import dev.kinesisaggs.esm.retrieval.StreamSource;
import dev.kinesisaggs.esm.runtime.ExecutionEnvironments;
import dev.kinesisaggs.esm.runtime.PackagedFunction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A local Kinesis event source mapping: reads a stream and invokes a Java Lambda handler with
 * AWS's semantics. The composition root for the command line:
 *
 * <pre>{@code
 * try (EventSourceMapping esm = EventSourceMapping.builder()
 *         .source(new KinesisStreamSource(kinesis, streamName, clock))
 *         .timeWindowHandler(handler)
 *         .config(config)
 *         .checkpoints(new DynamoDbCheckpointStore(dynamoDb, "esmCheckpoints"))
 *         .build()) {
 *     esm.start();
 *     ... esm.status() ...
 * }
 * }</pre>
 */
public final class EventSourceMapping implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventSourceMapping.class);

    private final MappingParts parts;
    private final ShardCoordinator coordinator;
    private final MappingRunner runner;
    private final ExecutorService watchdog;
    private final ExecutorService lanePool;
    private final Optional<ExecutionEnvironments> environments;
    private final Duration joinTimeout;
    private boolean started;
    private boolean closed;
    private MappingLease lease = MappingLease.NONE;
    private volatile List<String> resumedShards = List.of();
    private volatile String stoppedBecause;

    private EventSourceMapping(MappingParts parts, ExecutorService watchdog, ExecutorService lanePool,
                               Optional<ExecutionEnvironments> environments) {
        this.parts = parts;
        this.watchdog = watchdog;
        this.lanePool = lanePool;
        this.environments = environments;
        this.coordinator = new ShardCoordinator(parts);
        this.joinTimeout = parts.config().functionTimeout().plusSeconds(5);
        this.runner = new MappingRunner(coordinator, parts.clock(), Duration.ofSeconds(10), Duration.ofSeconds(30), joinTimeout,
                this::stopsBecause);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts reading every shard, each on its own thread. Returns at once.
     *
     * @throws IllegalStateException with one sentence saying what to do, when the stream does not exist
     * @throws MappingInUseException when another running instance of this mapping (same name, stream and function, on
     *         a checkpoint store shared by processes) holds it: AWS runs a mapping once
     */
    public synchronized EventSourceMapping start() {
        if (started) {
            throw new IllegalStateException("This event source mapping is already started: build a new one to start again.");
        }
        started = true;
        String streamArn = parts.source().streamArn(); // fails early and clearly when the stream is missing
        lease = parts.checkpoints().lease(parts.identity(), this::stopsBecause);
        resumedShards = resumedShards();
        LOG.atInfo().log(() -> "Event source mapping " + parts.identity() + " starting on " + streamArn
                + " (on failure: " + parts.destination().describe() + ")");
        runner.start();
        return this;
    }

    /**
     * The stream's shards that this mapping resumes from a checkpoint it saved before (not those it finished), as found
     * when it started, in shard order: a mapping started again takes its starting position for none of them, which its
     * user should be told (found by probing: a restart with another starting position read nothing, silently).
     */
    public List<String> shardsResumed() {
        return resumedShards;
    }

    /** Informational only: a stream or store that does not answer now must not stop the start (the shards retry). */
    private List<String> resumedShards() {
        List<String> resumed = new ArrayList<>();
        try {
            for (ShardInfo shard : parts.source().listShards()) {
                try {
                    parts.checkpoints().load(parts.identity(), shard.shardId()).filter(c -> !c.shardEnded())
                            .ifPresent(c -> resumed.add(shard.shardId()));
                } catch (ForeignCheckpointException foreign) {
                    // the shard's processor meets it when it starts, and says so there
                }
            }
        } catch (RuntimeException unanswered) {
            // the stream or the store did not answer: the shards' processors retry; the list says what was found
            LOG.atDebug().log(() -> "Could not tell every shard resumed: " + unanswered);
        }
        return resumed.stream().sorted().toList();
    }

    /** The mapping cannot go on by itself (another instance took its lease, its stream was deleted): it stops, and says why. */
    private void stopsBecause(String why) {
        LOG.error(why);
        stoppedBecause = why;
        runner.stop(Duration.ZERO); // each shard after its current step: nothing more is read or checkpointed
    }

    /**
     * Why the mapping stopped by itself (another instance took it over, its stream was deleted), while it was meant to
     * run; empty otherwise.
     */
    public Optional<String> stoppedBecause() {
        return Optional.ofNullable(stoppedBecause);
    }

    /**
     * The shards whose last checkpoint the store refused (a table deleted, an endpoint gone): a new mapping delivers their
     * records since the last saved one again. Asked after {@link #close()}, what stays unsaved.
     */
    public List<String> shardsWithUnsavedCheckpoints() {
        return coordinator.processors().stream().filter(ShardProcessor::checkpointUnsaved).map(ShardProcessor::shardId).sorted().toList();
    }

    /** A snapshot of every shard: window, records in, invocations, failures, iterator age, checkpoint. */
    public MappingStatus status() {
        return new MappingStatus(parts.config().mappingId(), parts.source().streamArn(), parts.clock().instant(),
                runner.running(), coordinator.statuses());
    }

    /** Whose checkpoints this mapping keeps: its name, stream and function, and the UUID they key the checkpoints by. */
    public dev.kinesisaggs.esm.checkpoint.MappingIdentity identity() {
        return parts.identity();
    }

    public EventSourceMappingConfig config() {
        return parts.config();
    }

    /** The function's execution environments, when it runs as a packaged function (not in this process). */
    public Optional<ExecutionEnvironments> executionEnvironments() {
        return environments;
    }

    /**
     * Stops after each shard's current step; an invocation in flight is allowed to finish, up to the
     * function timeout plus 5 s, and is checkpointed. Checkpoints already saved stay, so a new mapping
     * resumes from them.
     */
    @Override
    public synchronized void close() {
        close(joinTimeout);
    }

    /**
     * Stops at once, for a program that is ending (Ctrl-C) and whose function could not finish its work anyway (its
     * emulators are going too). The shards are told to stop and to drop whatever returns from now on; then in-process
     * handlers are interrupted and the execution environments ended (each within a moment), so an invocation in flight
     * is cut instead of being waited for up to the function timeout. A cut invocation is not the function's failure:
     * it is neither retried, given up to the destination, counted nor checkpointed, so a new mapping delivers its
     * records again, as after a crash.
     */
    public synchronized void closeNow() {
        if (closed) {
            return;
        }
        runner.stop(Duration.ZERO); // no shard starts after this
        coordinator.processors().forEach(ShardProcessor::abandonInFlight);
        lanePool.shutdownNow();
        watchdog.shutdownNow();
        environments.ifPresent(ExecutionEnvironments::close);
        close(Duration.ZERO);
    }

    /**
     * {@link #close()}, with {@code grace} instead of the function timeout plus 5 s for the invocations in flight: for a
     * program that must end within a bound (a JVM's shutdown on Ctrl-C). An invocation still running after it is cut as
     * {@link #closeNow()} cuts it: not checkpointed, its records delivered again by the next mapping.
     */
    public synchronized void close(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        Instant deadline = Instant.now().plus(grace);
        try {
            runner.close(grace);
            // the grace is over: what is still in flight is cut below, and its result, whatever the cut makes of it (an
            // environment's exit, an interrupt), must not be taken in as the function's (retried, given up, checkpointed).
            // With one lane the shard's own thread is inside the invocation, so its finish() could not abandon it.
            coordinator.processors().forEach(ShardProcessor::abandonInFlight);
            // handlers are interrupted only once the deadline has passed
            stopAfter(lanePool, deadline);
            stopAfter(watchdog, deadline);
            environments.ifPresent(ExecutionEnvironments::close);
            parts.destination().close();
        } finally {
            lease.close(); // last: until here a shard may still save a checkpoint
        }
        LOG.atInfo().log(() -> "Event source mapping " + parts.config().mappingId() + " stopped");
    }

    private static void stopAfter(ExecutorService pool, Instant deadline) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private EventSourceMappingConfig config;
        private StreamSource source;
        private HandlerInstances function;
        private PackagedFunction packagedFunction;
        private CheckpointStore checkpoints;
        private FailureDestination destination;
        private SqsClient sqs;
        private S3Client s3;
        private Clock clock = Clock.systemUTC();
        private Supplier<String> requestIds = () -> UUID.randomUUID().toString();
        private InvocationListener listener = InvocationListener.none();

        private Builder() {
        }

        public Builder config(EventSourceMappingConfig v) { config = v; return this; }
        public Builder source(StreamSource v) { source = v; return this; }
        /** Any function working on the event JSON. */
        /**
         * Any function working on the event JSON. One object is one execution environment, called by one invocation
         * at a time, as Lambda calls a handler instance: the shards take turns; give a factory to run them at once.
         */
        public Builder function(LambdaFunction v) { function = HandlerInstances.single(v); return this; }
        public Builder kinesisHandler(RequestHandler<KinesisEvent, ?> v) { return function(LambdaHandlers.kinesis(v)); }
        public Builder timeWindowHandler(RequestHandler<KinesisTimeWindowEvent, ?> v) { return function(LambdaHandlers.timeWindow(v)); }
        public Builder streamHandler(RequestStreamHandler v) { return function(LambdaHandlers.stream(v)); }
        /** Any handler object, adapted by its declared event type ({@link LambdaHandlers#forHandler}). */
        public Builder handler(Object v) { return function(LambdaHandlers.forHandler(v)); }
        /**
         * A new handler object (adapted by its declared event type) for each execution environment, as Lambda creates
         * the handler class in each: shards and lanes invoke at the same time, each instance one invocation at a time.
         */
        public Builder handlerFactory(Supplier<?> newHandler) {
            function = HandlerInstances.perEnvironment(() -> LambdaHandlers.forHandler(newHandler.get()));
            return this;
        }
        /** A new function for each execution environment ({@link #handlerFactory}, for functions on the event JSON). */
        public Builder functionFactory(Supplier<LambdaFunction> newFunction) { function = HandlerInstances.perEnvironment(newFunction); return this; }
        /**
         * A deployment package run as Lambda runs it: in execution environments (child JVMs under AWS's runtime
         * interface client, behind the Lambda Runtime API), instead of a handler in this process.
         */
        public Builder packagedFunction(PackagedFunction v) { packagedFunction = v; return this; }
        /** Default: in memory, lost when the process ends. */
        public Builder checkpoints(CheckpointStore v) { checkpoints = v; return this; }
        /** Default: from the config's {@code onFailureDestination} (an SQS queue URL/ARN, an S3 bucket ARN, else a JSON-lines file), or none. */
        public Builder destination(FailureDestination v) { destination = v; return this; }
        /** The SQS client for an SQS destination; default: the SDK's default chain with the URL-connection HTTP client. */
        public Builder sqsClient(SqsClient v) { sqs = v; return this; }
        /** The S3 client for an S3 destination; default: {@link S3Destination#defaultClient()}. */
        public Builder s3Client(S3Client v) { s3 = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder requestIds(Supplier<String> v) { requestIds = v; return this; }
        public Builder listener(InvocationListener v) { listener = v; return this; }

        public EventSourceMapping build() {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(source, "source");
            if ((function == null) == (packagedFunction == null)) {
                throw new IllegalArgumentException("Give the mapping one function: a handler in this process (kinesisHandler,"
                        + " timeWindowHandler, streamHandler, handler, handlerFactory, function or functionFactory) or a packagedFunction.");
            }
            if (config.parallelizationFactor() > 1) {
                LOG.atInfo().log(() -> "ParallelizationFactor " + config.parallelizationFactor()
                        + ": each shard's records go to that many lanes by partition key, each with its own invocation in flight");
            }
            if (config.bisectBatchOnFunctionError() && config.hasTumblingWindow()) {
                LOG.warn("BisectBatchOnFunctionError with tumbling windows: AWS does not document the combination; the halves of a batch share one window state");
            }
            ExecutorService watchdog = FunctionInvoker.newWatchdogExecutor();
            Optional<ExecutionEnvironments> environments = Optional.ofNullable(packagedFunction).map(f -> new ExecutionEnvironments(
                    f, config.functionArn(), config.awsRegion(), config.functionTimeout(), requestIds, clock));
            Invoker direct = environments.<Invoker>map(e -> e).orElseGet(() -> new FunctionInvoker(function, clock,
                    config.functionTimeout(), config.functionArn(), requestIds, Optional.of(watchdog)));
            // a throttled invocation reaches neither the handler nor an execution environment
            Invoker invoker = config.maxConcurrency().map(n -> new ConcurrencyLimit(n).guard(direct, requestIds)).orElse(direct);
            // At most ParallelizationFactor invocations in flight per shard (one per lane), so the pool is bounded by the lanes.
            ExecutorService lanePool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "esm-lane");
                t.setDaemon(true);
                return t;
            });
            FailureDestination failureDestination;
            try {
                failureDestination = destination != null ? destination : destinationFromConfig();
            } catch (RuntimeException e) {
                lanePool.shutdownNow();
                watchdog.shutdownNow();
                environments.ifPresent(ExecutionEnvironments::close);
                throw e;
            }
            // the destination sees each event before the caller's listener does (an S3 destination keeps it as the payload)
            InvocationListener told = listener;
            InvocationListener both = i -> {
                failureDestination.invoked(i.shardId(), i.result().requestId(), i.eventJson());
                told.invoked(i);
            };
            MappingParts parts = new MappingParts(config, source,
                    new LeasedCheckpoints(checkpoints != null ? checkpoints : new InMemoryCheckpointStore()),
                    failureDestination, invoker, clock, requestIds, both,
                    InvocationExecutor.on(lanePool));
            return new EventSourceMapping(parts, watchdog, lanePool, environments);
        }

        private FailureDestination destinationFromConfig() {
            Optional<String> d = config.onFailureDestination();
            if (d.isEmpty()) {
                return FailureDestination.none();
            }
            String target = d.get();
            if (SqsDestination.isQueue(target)) {
                if (sqs != null) {
                    return SqsDestination.forQueue(sqs, target); // the caller's client: the caller closes it
                }
                return SqsDestination.forQueueClosingClient(SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(), target);
            }
            if (S3Destination.isBucketArn(target)) {
                // the key's <ESM-UUID>; asked for at the first failure, since the stream's ARN may need a call to Kinesis
                Supplier<String> uuid = () -> new MappingIdentity(config.mappingId(), source.streamArn(), config.functionArn()).uuid();
                if (s3 != null) {
                    return S3Destination.forBucket(s3, target, uuid, config.parallelizationFactor()); // the caller closes it
                }
                return S3Destination.forBucketClosingClient(S3Destination.defaultClient(), target, uuid, config.parallelizationFactor());
            }
            if (!JsonLinesFileDestination.namesFile(target)) {
                throw new IllegalArgumentException("The on-failure destination " + target + " is neither an SQS queue's ARN"
                        + " (arn:aws:sqs:REGION:ACCOUNT:QUEUE) nor an S3 bucket's (arn:aws:s3:::BUCKET), the destinations this"
                        + " mapping delivers to; a path that is not an ARN names a JSON-lines file");
            }
            return new JsonLinesFileDestination(Path.of(target));
        }

    }
}
