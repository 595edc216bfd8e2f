package dev.kinesisaggs.function.storage;

import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Sleeper;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.tables.Tables;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Stores each clean trip in the trips table and, in the same write, claims it for the record that carried
 * it: the item keeps the {@code occurrence} (shard, sequence number, sub-sequence number) that first
 * stored it, and it is put only if no item of the trip's id exists. So a trip that a producer's retry put
 * into the stream twice, on the same or another shard, in the same or a later window, is counted once: the
 * second occurrence finds the first's claim and is a duplicate, whichever run, replay or batch boundaries
 * deliver it; and a replay of the first occurrence, finding its own claim, claims it again.
 *
 * <p>Deciding which of two shards' invocations counts a trip they hold at the same time is consensus, which
 * takes a compare-and-set: a put-if-new on the trip's item. The puts are PartiQL INSERTs, 25 to a
 * BatchExecuteStatement ({@link TripInserts}), the calls concurrent on the writers' pool; an INSERT that finds
 * the trip stored is decided by the claim it finds, read consistently (a trip's item is never changed or deleted
 * once put, so what the read returns is the claim for good). An item DynamoDB refuses for its content is
 * reported for that trip alone, never failing the others; throttled or failed inserts are retried with backoff
 * within the budget.
 *
 * <p>More than {@value #LOOK_FIRST_ABOVE} trips are looked up first, 100 to a BatchGetItem, and only those not
 * stored yet are put. A batch that runs out of time fails whole and Lambda retries it whole (BatchProcessor says
 * why); without the look-up every retry would redo every put, and a batch of many small trips (a 6 MB batch holds
 * some 60,000) that does not fit in the function's timeout would fail for ever and block its shard. With it, each
 * attempt keeps what the one before stored: a retry finds those trips claimed by its own occurrence and puts only
 * the rest. The look-up reads eventually consistent, and that is exact whatever it returns: a trip's item is never
 * deleted and never changes hands, so an item it reads is the trip's claim as it stands; an item written too
 * recently to be seen is inserted, found taken, and read consistently. Below the threshold the look-up would cost
 * more (half a read unit a trip) than a retry it saves.
 */
public final class TripClaims {

    /** The attribute holding the claiming occurrence, {@code shardId:sequenceNumber:subSequenceNumber}. */
    public static final String OCCURRENCE = "occurrence";
    /** From how many trips on ({@code >}), the trips are looked up before they are put. */
    static final int LOOK_FIRST_ABOVE = 1_000;
    /** BatchGetItem's limit. */
    private static final int KEYS_PER_LOOK_UP = 100;
    /** The occurrence of an item stored before claims were recorded: a trip, but no one's claim. */
    private static final String UNKNOWN_OCCURRENCE = "unknown (stored before claims were recorded)";

    /** One trip to store, from the record at {@code owner}. */
    public record Claim(int owner, Trip trip, String occurrence) {
        public Claim {
            Objects.requireNonNull(trip, "trip");
            Objects.requireNonNull(occurrence, "occurrence");
        }
    }

    /** What became of a claim. */
    public sealed interface Outcome {
        /** Stored, and counted by this occurrence (new, or this occurrence's own claim again). */
        record Claimed() implements Outcome {}

        /** Another occurrence stored this trip first; it is not counted again. */
        record Duplicate(String firstOccurrence) implements Outcome {}

        /** DynamoDB refused the item itself; the message says why. */
        record Refused(String message) implements Outcome {}
    }

    /** The outcome of each claim, in the order given, and how many retry rounds it took. */
    public record Results(List<Outcome> outcomes, int retries) {
        public Results {
            outcomes = List.copyOf(outcomes);
        }
    }

    private static final Outcome CLAIMED = new Outcome.Claimed();

    private final DynamoDbClient dynamo;
    private final String table;
    private final Backoff backoff;
    private final RandomGenerator jitter;
    private final Sleeper sleeper;
    private final CallTimeouts timeouts;
    private final ExecutorService executor;
    private final TripInserts inserts;
    private final int callsAtOnce;

    public TripClaims(DynamoDbClient dynamo, String table, Backoff backoff, RandomGenerator jitter, Sleeper sleeper,
                      CallTimeouts timeouts, ExecutorService executor, int callsAtOnce) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.inserts = new TripInserts(dynamo, table, timeouts);
        if (callsAtOnce < 1) {
            throw new IllegalArgumentException("callsAtOnce must be 1 or more, not " + callsAtOnce);
        }
        this.callsAtOnce = callsAtOnce;
    }

    /**
     * Stores and claims every trip. A trip id that comes more than once in the claims is claimed by its first occurrence
     * only (puts run concurrently, so two of them would race), and the later ones are its duplicates; should DynamoDB
     * refuse the first, the next is tried.
     *
     * @throws StorageException when some could not be written before the budget ran out (throttling,
     *                          errors): the invocation fails, and Lambda retries it whole
     */
    public Results claim(List<Claim> claims, RetryBudget budget) {
        Outcome[] outcomes = new Outcome[claims.size()];
        Map<String, ArrayDeque<Integer>> byId = new LinkedHashMap<>();
        for (int i = 0; i < claims.size(); i++) {
            byId.computeIfAbsent(claims.get(i).trip().id(), id -> new ArrayDeque<>()).add(i);
        }
        int retries = 0;
        List<Integer> round = new ArrayList<>();
        byId.values().forEach(occurrences -> round.add(occurrences.poll()));
        Map<String, String> stored = round.size() > LOOK_FIRST_ABOVE ? lookUp(claims, round, budget, false) : Map.of();
        while (!round.isEmpty()) {
            List<Integer> toPut = new ArrayList<>(round.size());
            for (int i : round) {
                String owner = stored.get(claims.get(i).trip().id());
                if (owner == null) {
                    toPut.add(i);
                } else {
                    outcomes[i] = byClaim(claims.get(i), owner);
                }
            }
            retries += put(claims, toPut, outcomes, budget);
            List<Integer> next = new ArrayList<>();
            for (int i : round) {
                ArrayDeque<Integer> later = byId.get(claims.get(i).trip().id());
                if (outcomes[i] instanceof Outcome.Refused && !later.isEmpty()) {
                    next.add(later.poll());
                } else {
                    String first = outcomes[i] instanceof Outcome.Duplicate d ? d.firstOccurrence() : claims.get(i).occurrence();
                    while (!later.isEmpty()) {
                        outcomes[later.poll()] = new Outcome.Duplicate(first);
                    }
                }
            }
            round.clear();
            round.addAll(next);
        }
        return new Results(List.of(outcomes), retries);
    }

    /** A trip found stored, decided by its claim: this occurrence's own is claimed again, another's makes it a duplicate. */
    private static Outcome byClaim(Claim c, String owner) {
        return owner.equals(c.occurrence()) ? CLAIMED : new Outcome.Duplicate(owner);
    }

    /**
     * The claims already stored among the trips at {@code indexes} (distinct ids): trip id to its claiming occurrence.
     * Concurrent BatchGetItems of 100 keys; what could not be read (throttled, unprocessed, the time short) is simply
     * absent: before the inserts it is inserted as if new (the look-up saves work, it never decides alone), after an
     * insert found it taken it is tried again.
     */
    private Map<String, String> lookUp(List<Claim> claims, List<Integer> indexes, RetryBudget budget, boolean consistent) {
        List<Future<Map<String, String>>> futures = new ArrayList<>();
        for (int from = 0; from < indexes.size(); from += KEYS_PER_LOOK_UP) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>(KEYS_PER_LOOK_UP);
            for (int i : indexes.subList(from, Math.min(from + KEYS_PER_LOOK_UP, indexes.size()))) {
                keys.add(Map.of(Tables.TRIP_ID, AttributeValue.fromS(claims.get(i).trip().id())));
            }
            futures.add(executor.submit(() -> lookUpOnce(keys, budget, consistent)));
        }
        Map<String, String> stored = new HashMap<>();
        for (Future<Map<String, String>> f : futures) {
            stored.putAll(await(f, "looking up trips"));
        }
        return stored;
    }

    /** One BatchGetItem, once: keys it leaves unprocessed are not asked for again here. */
    private Map<String, String> lookUpOnce(List<Map<String, AttributeValue>> keys, RetryBudget budget, boolean consistent) {
        if (budget.exhausted()) {
            return Map.of();
        }
        try {
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b
                    .requestItems(Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(consistent)
                            .projectionExpression("#id, #occurrence")
                            .expressionAttributeNames(Map.of("#id", Tables.TRIP_ID, "#occurrence", OCCURRENCE)).build()))
                    .overrideConfiguration(timeouts.forBudget(budget)));
            Map<String, String> stored = new HashMap<>();
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                AttributeValue occurrence = item.get(OCCURRENCE);
                stored.put(item.get(Tables.TRIP_ID).s(), occurrence == null || occurrence.s() == null ? UNKNOWN_OCCURRENCE : occurrence.s());
            }
            return stored;
        } catch (SdkException e) {
            if (consistent && !Throttling.isRetryable(e)) {
                // after an insert found the trip stored, nothing else would report a missing table or a denied right
                throw StorageException.notRetryable("reading trips' claims", table, e);
            }
            // throttled, failed on the way (or, before the inserts, anything: the inserts meet and report it); the
            // trips are inserted, or read again
            return Map.of();
        }
    }

    /**
     * Inserts the claims at {@code indexes} (distinct trip ids), {@value TripInserts#PER_CALL} to a call, the calls
     * concurrently, retrying within the budget; the retry rounds. A trip found stored already is decided by its claim,
     * read consistently: this occurrence's own (a replay, or an attempt before this one that stored it) is claimed
     * again, another's is a duplicate; one not read yet is tried again.
     */
    private int put(List<Claim> claims, List<Integer> indexes, Outcome[] outcomes, RetryBudget budget) {
        List<Integer> toInsert = new ArrayList<>(indexes);
        // found stored, their claim not read yet: read again, never inserted again (a trip's item is never deleted)
        List<Integer> toRead = new ArrayList<>();
        int retries = 0;
        String lastWhy = null;
        while (true) {
            List<List<Integer>> chunks = new ArrayList<>();
            for (int from = 0; from < toInsert.size(); from += TripInserts.PER_CALL) {
                chunks.add(toInsert.subList(from, Math.min(from + TripInserts.PER_CALL, toInsert.size())));
            }
            List<List<TripInserts.Result>> answered = insertAll(claims, chunks, budget);
            List<Integer> again = new ArrayList<>();
            for (int c = 0; c < chunks.size(); c++) {
                List<TripInserts.Result> results = answered.get(c);
                for (int k = 0; k < results.size(); k++) {
                    int i = chunks.get(c).get(k);
                    TripInserts.Result result = results.get(k);
                    if (result instanceof TripInserts.Result.Inserted) {
                        outcomes[i] = CLAIMED;
                    } else if (result instanceof TripInserts.Result.Taken) {
                        toRead.add(i);
                    } else if (result instanceof TripInserts.Result.Refused refused) {
                        outcomes[i] = new Outcome.Refused(refused.message());
                    } else if (result instanceof TripInserts.Result.Later later) {
                        again.add(i);
                        lastWhy = later.why();
                    }
                }
            }
            if (!toRead.isEmpty()) {
                Map<String, String> owners = lookUp(claims, toRead, budget, true);
                List<Integer> unread = new ArrayList<>();
                for (int i : toRead) {
                    String owner = owners.get(claims.get(i).trip().id());
                    if (owner == null) {
                        unread.add(i);
                        lastWhy = "its claim could not be read";
                    } else {
                        outcomes[i] = byClaim(claims.get(i), owner);
                    }
                }
                toRead = unread;
            }
            if (again.isEmpty() && toRead.isEmpty()) {
                return retries;
            }
            Duration wait = backoff.delayBeforeRetry(retries + 1, jitter);
            if (!budget.allows(wait, timeouts.minimumCall())) {
                throw new StorageException((again.size() + toRead.size()) + " of " + claims.size() + " trips could not be stored in "
                        + table + " before the time ran out" + (lastWhy == null ? "" : " (" + lastWhy + ")"));
            }
            sleep(wait);
            retries++;
            again.sort(null);
            toInsert = again;
        }
    }

    /**
     * Sends the chunks' inserts, {@code callsAtOnce} calls at a time (a worker per call in flight takes the next chunk):
     * their results, chunk by chunk.
     */
    private List<List<TripInserts.Result>> insertAll(List<Claim> claims, List<List<Integer>> chunks, RetryBudget budget) {
        List<List<TripInserts.Result>> answered = new ArrayList<>(Collections.nCopies(chunks.size(), (List<TripInserts.Result>) null));
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(callsAtOnce, chunks.size()); w++) {
            workers.add(executor.submit(() -> {
                try {
                    for (int c = next.getAndIncrement(); c < chunks.size(); c = next.getAndIncrement()) {
                        List<Map<String, AttributeValue>> items = new ArrayList<>(chunks.get(c).size());
                        chunks.get(c).forEach(i -> items.add(TripInserts.item(claims.get(i))));
                        answered.set(c, inserts.insert(items, budget));
                    }
                    return null;
                } catch (RuntimeException e) {
                    next.set(chunks.size()); // the invocation fails: the other workers take no further chunk
                    throw e;
                }
            }));
        }
        workers.forEach(w -> await(w, "storing trips"));
        return answered;
    }

    /**
     * The request that stores and claims these trips, as the function sends it (for measuring the SDK's cost of it):
     * at most {@value TripInserts#PER_CALL}.
     */
    public static BatchExecuteStatementRequest insertRequest(String table, List<Claim> claims) {
        return TripInserts.request(table, claims.stream().map(TripInserts::item).toList());
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            // what is worth retrying comes back as a result; anything thrown is not (a missing table, a denied right)
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while " + what, e);
        }
    }

    private void sleep(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while backing off", e);
        }
    }
}
