package dev.kinesisaggs.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Backoff.Jitter;
import dev.kinesisaggs.core.retry.Sleeper;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.function.batch.BatchProcessor;
import dev.kinesisaggs.function.batch.BatchResult;
import dev.kinesisaggs.function.batch.ColdStart;
import dev.kinesisaggs.function.batch.EventTranslator;
import dev.kinesisaggs.function.batch.InvocationLog;
import dev.kinesisaggs.function.batch.PartSink;
import dev.kinesisaggs.function.batch.Quarantine;
import dev.kinesisaggs.function.batch.ShardBatch;
import dev.kinesisaggs.function.batch.TripStore;
import dev.kinesisaggs.function.priming.SnapStartPriming;
import dev.kinesisaggs.function.retry.ReseedableRandom;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.BatchPutter;
import dev.kinesisaggs.function.storage.CallTimeouts;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import dev.kinesisaggs.function.storage.PartWriter;
import dev.kinesisaggs.function.storage.RejectsWriter;
import dev.kinesisaggs.function.storage.TripClaims;
import dev.kinesisaggs.function.tables.Tables;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.crac.Core;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The function's work on Lambda's event objects: the handler of in-process runs (the deterministic driver, tests),
 * and behind {@link TripWindowStreamHandler}, the SAM template's {@code Handler}. Its constructor is the composition
 * root, run once per container; {@link #handleRequest} translates the event, hands it to the
 * {@link BatchProcessor}, logs one line and answers with the state and the failed record.
 */
public final class TripWindowHandler implements RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> {

    private final BatchProcessor processor;
    private final InvocationLog log;
    private final Clock clock;
    private final Duration safetyMargin;
    private final SnapStartPriming priming;

    /**
     * Used by Lambda: configuration from the environment, one DynamoDB client for the container.
     * Registers the SnapStart hook; only Lambda's SnapStart runtime calls it (org.crac's context
     * does nothing elsewhere, and keeps only a weak reference: the handler holds the hook).
     */
    public TripWindowHandler() {
        this(FunctionConfig.fromEnvironment(System.getenv()), Clock.systemUTC());
        Core.getGlobalContext().register(priming);
    }

    private TripWindowHandler(FunctionConfig config, Clock clock) {
        // the writers' calls and the handler thread's own
        this(DynamoDbClients.create(config.region(), config.callsInFlight() + 1), config, clock);
    }

    /** For running the function in-process (the local event source mapping, tests) with a given client. */
    public TripWindowHandler(DynamoDbClient dynamo, FunctionConfig config, Clock clock) {
        this(dynamo, config, clock, System.out);
    }

    /**
     * As above, with the stream that gets the one JSON line per invocation (on Lambda, standard output is
     * the function's log; a local run may want it in a file of its own).
     */
    public TripWindowHandler(DynamoDbClient dynamo, FunctionConfig config, Clock clock, PrintStream invocationLog) {
        this(dynamo, config, clock, invocationLog, ColdStart.thisEnvironment(),
                Executors.newFixedThreadPool(config.callsInFlight(), runnable -> {
                    Thread t = new Thread(runnable, "kinesis-aggs-writer");
                    t.setDaemon(true);
                    return t;
                }), new ReseedableRandom());
    }

    private TripWindowHandler(DynamoDbClient dynamo, FunctionConfig config, Clock clock, PrintStream invocationLog,
                              ColdStart coldStart, ExecutorService writers, ReseedableRandom jitter) {
        this.clock = clock;
        this.safetyMargin = config.safetyMargin();
        // full jitter: the shards of a table are throttled at the same moment, and should not all come back together
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), Jitter.FULL);
        Sleeper sleeper = Sleeper.system();
        CallTimeouts timeouts = CallTimeouts.defaults();
        TripStore trips = config.tables().tripsTable()
                .<TripStore>map(t -> new TripClaims(dynamo, t, backoff, jitter, sleeper, timeouts, writers,
                        config.insertCallsInFlight())::claim)
                .orElse(TripStore.OFF);
        Quarantine quarantine = config.tables().rejectsTable()
                .<Quarantine>map(t -> new RejectsWriter(
                        new BatchPutter(dynamo, t, Tables.RECORD_ID, backoff, jitter, sleeper, timeouts, writers), clock)::write)
                .orElse(Quarantine.OFF);
        String aggregates = config.tables().aggregates();
        BatchPutter aggregatePuts = new BatchPutter(dynamo, aggregates, Tables.VENDOR_ID, backoff, jitter, sleeper, timeouts, writers);
        PartWriter parts = new PartWriter(dynamo, aggregates, aggregatePuts, backoff, jitter, sleeper, timeouts);
        this.processor = new BatchProcessor(new TripParser(), trips, quarantine, PartSink.into(parts));
        this.log = new InvocationLog(invocationLog, config.metricsNamespace(), config.service(), config.functionName(),
                coldStart, InvocationLog.lambdaTraceHeader());
        // Priming rehearses with this same wiring on a client that cannot reach DynamoDB, and a log
        // line that goes nowhere (a rehearsal must neither write nor count as metrics, nor use up the
        // environment's cold start). Its own lines go to standard error: standard output carries
        // only the invocations' JSON lines.
        this.priming = new SnapStartPriming(dynamo, config,
                offline -> new TripWindowHandler(offline, config, clock, new PrintStream(OutputStream.nullOutputStream()),
                        ColdStart.never(), writers, jitter),
                jitter, System.err);
    }

    /** The SnapStart hook that the Lambda constructor registers (public for measuring and testing it). */
    public SnapStartPriming priming() {
        return priming;
    }

    @Override
    public TimeWindowEventResponse handleRequest(KinesisTimeWindowEvent event, Context context) {
        return response(handle(EventTranslator.toBatch(event), context));
    }

    /** One invocation of a batch read from the event's JSON ({@link TripWindowStreamHandler}): the state to return. */
    Map<String, String> handle(ShardBatch batch, Context context) {
        return handle(batch, context == null
                ? RetryBudget.unbounded(clock)
                : RetryBudget.of(clock, Duration.ofMillis(context.getRemainingTimeInMillis()), safetyMargin),
                context == null || context.getAwsRequestId() == null ? UUID.randomUUID().toString() : context.getAwsRequestId());
    }

    /**
     * One invocation whose retries stop when {@code budget} runs out; {@code requestId} names the window run it
     * begins, if it begins one, and is the log line's {@code function_request_id}. It never answers with batch
     * item failures: what cannot be stored fails the invocation, whose retry is exact (see {@link BatchProcessor}).
     */
    public TimeWindowEventResponse handle(KinesisTimeWindowEvent event, RetryBudget budget, String requestId) {
        return response(handle(EventTranslator.toBatch(event), budget, requestId));
    }

    /** The state to return, and no batch item failures: what cannot be stored fails the invocation. */
    private static TimeWindowEventResponse response(Map<String, String> state) {
        return new TimeWindowEventResponse(new HashMap<>(state), List.of());
    }

    private Map<String, String> handle(ShardBatch batch, RetryBudget budget, String requestId) {
        Instant started = clock.instant();
        BatchResult result;
        try {
            result = processor.process(batch, budget, requestId);
        } catch (RuntimeException e) {
            log.failure(batch, e, requestId, clock.instant(), Duration.between(started, clock.instant()));
            throw e;
        }
        log.success(batch, result, requestId, clock.instant(), Duration.between(started, clock.instant()));
        return result.state();
    }
}
