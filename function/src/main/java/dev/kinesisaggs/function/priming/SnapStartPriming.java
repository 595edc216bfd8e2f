package dev.kinesisaggs.function.priming;

import dev.kinesisaggs.function.FunctionConfig;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.batch.ShardBatch;
import dev.kinesisaggs.function.batch.WindowEventJson;
import dev.kinesisaggs.function.priming.OfflineDynamoDb;
import dev.kinesisaggs.function.retry.ReseedableRandom;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.tables.TableNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The SnapStart runtime hook. Before Lambda snapshots the initialised function, it primes it, as
 * AWS's SnapStart guidance recommends: a restored environment skips the init phase, so whatever
 * was loaded and compiled before the snapshot is free for every cold start, and whatever was not
 * is paid by the first invocation. Construction alone loads little of the hot path, so priming
 * runs it:
 * <ul>
 *   <li>synthetic in-memory events (plain trips, KPL aggregates, an unclean record), a few times
 *       over so that the per-record code reaches the JIT's thresholds, then the window's final
 *       invoke, through a rehearsal handler wired exactly as the real one (deaggregate, parse,
 *       validate, the trips' inserts (BatchExecuteStatement) and the quarantine's BatchWriteItem calls, fold, the
 *       aggregates' part writes, the log line's JSON, the response and its window state),
 *       whose DynamoDB client answers in memory and cannot reach DynamoDB
 *       ({@link OfflineDynamoDb}), and whose log line goes nowhere (it must not count as metrics);</li>
 *   <li>DescribeTable on each configured table, a read-only call that warms the SDK client
 *       (marshalling, signing, the HTTP client, the connection). A missing table or a denied call
 *       is logged and priming goes on: it must never fail the snapshot, and never writes.</li>
 * </ul>
 * After each restore it reseeds the backoff's jitter, which the snapshot would otherwise make the
 * same in every restored environment. The SDK's credentials need nothing: with SnapStart the Java
 * runtime serves them through the container credentials endpoint, which the SDK's default chain
 * (the client sets no provider of its own) reads and refreshes.
 */
public final class SnapStartPriming implements Resource {

    /** Rounds of the synthetic records: 3 x 1,000 trips take each per-trip method past C1's compile threshold. */
    static final int ROUNDS = 3;
    /** At most this long for the rehearsal's retries, all rounds together (Lambda gives the hooks 130 s). */
    static final Duration REHEARSAL_BUDGET = Duration.ofSeconds(10);

    private final DynamoDbClient dynamo;
    private final TableNames tables;
    private final String region;
    private final Function<DynamoDbClient, TripWindowHandler> rehearsalOn;
    private final ReseedableRandom jitter;
    private final PrintStream log;

    /**
     * @param rehearsalOn the handler's wiring on a given client (built only when priming runs, so
     *                    that a cold start without SnapStart pays nothing for it)
     */
    public SnapStartPriming(DynamoDbClient dynamo, FunctionConfig config, Function<DynamoDbClient, TripWindowHandler> rehearsalOn,
                     ReseedableRandom jitter, PrintStream log) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tables = config.tables();
        this.region = config.region();
        this.rehearsalOn = Objects.requireNonNull(rehearsalOn, "rehearsalOn");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        jitter.reseed();
    }

    /** What priming did, for the log and for tests. */
    public record Primed(boolean hotPathRun, boolean eventJsonRead, int tablesDescribed, List<String> tablesNotDescribed, long millis) {
    }

    /** Runs the hot path on a synthetic event and warms the client; writes nothing, throws nothing. */
    /** The rehearsal's window run: fixed, so that priming makes no random ids before the snapshot. */
    private static final String REHEARSAL_RUN = "priming-rehearsal";

    public Primed prime() {
        long started = System.nanoTime();
        boolean hotPathRun = false;
        try (DynamoDbClient offline = OfflineDynamoDb.create(region)) {
            TripWindowHandler rehearsal = rehearsalOn.apply(offline);
            // the offline client never fails, but if it ever did, retries must not hold the snapshot up
            RetryBudget budget = RetryBudget.of(Clock.systemUTC(), REHEARSAL_BUDGET, Duration.ZERO);
            Map<String, String> state = Map.of();
            for (int round = 0; round < ROUNDS; round++) {
                state = rehearsal.handle(PrimingEvents.records(state), budget, REHEARSAL_RUN).getState();
            }
            rehearsal.handle(PrimingEvents.finalInvoke(state), budget, REHEARSAL_RUN);
            hotPathRun = true;
        } catch (RuntimeException | LinkageError e) {
            // priming is an optimisation: a failure here (also a class that does not load) must not fail the snapshot
            log.println("kinesis-aggs priming: the synthetic event failed, the hot path is not primed: " + e);
        }
        boolean eventJsonRead = false;
        try {
            // the stream handler's reading of the event and writing of the answer (nothing written anywhere)
            ShardBatch read = WindowEventJson.read(new ByteArrayInputStream(PrimingEvents.json()));
            WindowEventJson.writeResponse(read.state(), OutputStream.nullOutputStream());
            eventJsonRead = read.records().size() == 1;
        } catch (IOException | RuntimeException | LinkageError e) {
            log.println("kinesis-aggs priming: the synthetic event's JSON failed, its reader is not primed: " + e);
        }
        int described = 0;
        List<String> notDescribed = new ArrayList<>();
        for (String table : configuredTables()) {
            try {
                dynamo.describeTable(r -> r.tableName(table));
                described++;
            } catch (SdkException e) {
                notDescribed.add(table);
                log.println("kinesis-aggs priming: DescribeTable " + table + " failed (" + e.getClass().getSimpleName()
                        + "); priming goes on: " + e.getMessage());
            }
        }
        Primed primed = new Primed(hotPathRun, eventJsonRead, described, List.copyOf(notDescribed), (System.nanoTime() - started) / 1_000_000);
        log.println("kinesis-aggs priming: " + primed);
        return primed;
    }

    private List<String> configuredTables() {
        List<String> names = new ArrayList<>();
        names.add(tables.aggregates());
        tables.tripsTable().ifPresent(names::add);
        tables.rejectsTable().ifPresent(names::add);
        return names;
    }
}
