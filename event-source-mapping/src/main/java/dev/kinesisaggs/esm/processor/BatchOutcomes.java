package dev.kinesisaggs.esm.processor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.destination.FailureRecords;
import dev.kinesisaggs.esm.invocation.Outcome;
import dev.kinesisaggs.esm.invocation.ResponseInterpreter;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an invocation's outcome does to its batch (spec §5): success moves the lane on, a failure retries it with
 * backoff, bisects it, splits it at a partial failure, or gives it up to the destination once its retries are
 * exhausted or its records too old; a throttle waits without using an attempt.
 */
final class BatchOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(BatchOutcomes.class);

    private final EventSourceMappingConfig config;
    private final Clock clock;
    private final Supplier<String> requestIds;
    private final String shardId;
    private final ShardWindow window;
    private final ShardCheckpoints checkpoints;
    private final Discards discards;
    private final ShardCounters counters;
    private final RecordAge age;
    /** Whether this shard said that the function answers without the state its windows need. */
    private boolean saidNoState;

    BatchOutcomes(MappingParts parts, String shardId, ShardWindow window, ShardCheckpoints checkpoints,
                  Discards discards, ShardCounters counters, RecordAge age) {
        this.config = parts.config();
        this.clock = parts.clock();
        this.requestIds = parts.requestIds();
        this.shardId = shardId;
        this.window = window;
        this.checkpoints = checkpoints;
        this.discards = discards;
        this.counters = counters;
        this.age = age;
    }

    /** Takes in the outcome of an invocation that reached the function; {@code w} is the lane's first work. */
    void taken(Lane lane, Work w, Outcome outcome) {
        if (outcome instanceof Outcome.Succeeded s) {
            counters.succeeded();
            lane.work.poll();
            succeeded(lane, w, s.state());
        } else if (outcome instanceof Outcome.PartiallyFailed p) {
            counters.failed();
            partlyFailed(lane, w, p);
        } else {
            Outcome.Failed f = (Outcome.Failed) outcome;
            counters.failed();
            LOG.atInfo().log(() -> shardId + " invocation failed (" + f.reason() + "), attempt " + w.attempts + " of " + w.kind + " batch of " + w.records.size());
            if (ResponseInterpreter.NO_STATE.equals(f.reason()) && !saidNoState) {
                // a function without windows under a mapping with them fails every batch alike: say it where it is seen
                saidNoState = true;
                LOG.warn("{}: the function answered without a state object, which the mapping's tumbling windows ({} s) need,"
                        + " so each batch fails and is retried as on AWS; a function without windows needs TumblingWindowInSeconds 0",
                        shardId, config.tumblingWindowInSeconds());
            }
            if (config.bisectBatchOnFunctionError() && w.records.size() > 1) {
                bisect(lane, w);
            } else {
                retryOrGiveUp(lane, w, Optional.ofNullable(f.functionError()));
            }
        }
    }

    /**
     * Lambda retries a throttled invocation "until the records expire or exceed the maximum age" (spec §5.2): it did
     * not reach the function, so it consumes no retry attempt; the wait grows as the retries' backoff does.
     */
    void throttled(Work w) {
        w.throttles++;
        w.notBefore = now().plus(retryDelay(w.throttles));
        LOG.atInfo().log(() -> shardId + " invocation throttled (the function's concurrency limit), " + w.throttles
                + " time(s) for this batch; retrying at " + w.notBefore + " without counting an attempt");
    }

    /** Before a retry, records past MaximumRecordAge leave the batch for the destination (spec §5.3); true when none is left. */
    boolean expireBeforeRetry(Lane lane, Work w, Instant now) {
        if (!age.discards() || !w.retrying()) {
            return false;
        }
        if (w.records.isEmpty()) {
            // a final or early-termination invoke: it stands for the window's records since the last checkpoint
            if (checkpoints.windowProgress().lastHandled().filter(r -> age.expired(r, now)).isPresent()) {
                lane.work.poll();
                giveUp(w, FailureRecords.RECORD_AGE_EXCEEDED, Optional.empty(), requestIds.get());
                return true;
            }
            return false;
        }
        List<StreamRecord> expired = new ArrayList<>();
        for (StreamRecord r : w.records) {
            if (!age.expired(r, now)) {
                break;
            }
            expired.add(r);
        }
        if (expired.isEmpty()) {
            return false;
        }
        discards.giveUp(expired, FailureRecords.RECORD_AGE_EXCEEDED, w.approximateInvokeCount(), Optional.empty(), requestIds.get());
        w.records = List.copyOf(w.records.subList(expired.size(), w.records.size()));
        if (w.records.isEmpty()) {
            lane.work.poll();
            if (w.kind == Work.Kind.FINAL) {
                lane.work.addFirst(new Work(Work.Kind.FINAL, List.of(), now));
            }
            return true;
        }
        return false;
    }

    private void succeeded(Lane lane, Work w, Optional<JsonNode> state) {
        switch (w.kind) {
            case DATA -> {
                window.keep(state);
                checkpoints.handled(w.records);
                if (window.stateTooLarge()) {
                    // End the window early: hand the oversized state over in a final invoke, then continue the same window with {} (spec §4, §9).
                    LOG.atInfo().log(() -> shardId + " state exceeds " + config.maxStateBytes() + " bytes: terminating window "
                            + window.open().orElseThrow() + " early");
                    lane.work.addFirst(new Work(Work.Kind.EARLY_TERMINATION, List.of(), now()));
                }
            }
            case FINAL -> {
                checkpoints.handled(w.records);
                window.close(true);
            }
            case EARLY_TERMINATION -> window.endedEarly();
        }
    }

    private void partlyFailed(Lane lane, Work w, Outcome.PartiallyFailed p) {
        BigInteger from = new BigInteger(p.fromSequenceNumber());
        List<StreamRecord> done = new ArrayList<>();
        List<StreamRecord> rest = new ArrayList<>();
        for (StreamRecord r : w.records) {
            (r.sequence().compareTo(from) < 0 ? done : rest).add(r);
        }
        LOG.atInfo().log(() -> shardId + " batch partly failed from " + from + ": " + done.size() + " records done, " + rest.size() + " to retry");
        window.keep(p.state());
        checkpoints.handled(done);
        if (config.bisectBatchOnFunctionError() && !done.isEmpty()) {
            splitAt(lane, w, rest);
            return;
        }
        w.records = rest;
        // A partial failure is an attempt; the retry covers only the remaining records (spec §5.5).
        retryOrGiveUp(lane, w, Optional.empty());
    }

    /** Splits the batch in two ({@code ceil(n/2)} first), processed in order, each with its own retry budget; bisecting costs no retry (spec §5.4). */
    private void bisect(Lane lane, Work w) {
        lane.work.poll();
        int half = (w.records.size() + 1) / 2;
        Instant now = now();
        Work first = new Work(Work.Kind.DATA, List.copyOf(w.records.subList(0, half)), now);
        Work second = new Work(w.kind, List.copyOf(w.records.subList(half, w.records.size())), now);
        lane.work.addFirst(second);
        lane.work.addFirst(first);
        LOG.atInfo().log(() -> shardId + " bisecting a batch of " + w.records.size() + " into " + first.records.size() + " + " + second.records.size());
    }

    /**
     * A partial failure with BisectBatchOnFunctionError on: "When a partial batch success response is received and both
     * BisectBatchOnFunctionError and ReportBatchItemFailures are turned on, the batch is bisected at the returned
     * sequence number and Lambda retries only the remaining records" (AWS Lambda Developer Guide, "Configuring partial
     * batch response with Kinesis Data Streams and Lambda"), and "splitting batches doesn't consume the retry quota"
     * (spec §5.4): the remaining records become a batch of their own with a fresh retry budget, as a bisected half does.
     * A partial failure at the batch's first record splits nothing off; the caller counts it as an attempt.
     */
    private void splitAt(Lane lane, Work w, List<StreamRecord> rest) {
        lane.work.poll();
        lane.work.addFirst(new Work(w.kind, List.copyOf(rest), now()));
        LOG.atInfo().log(() -> shardId + " bisecting at the returned sequence number: " + rest.size() + " records to retry with their own retry budget");
    }

    private void retryOrGiveUp(Lane lane, Work w, Optional<String> functionError) {
        if (w.records.isEmpty() && w.kind == Work.Kind.DATA) {
            lane.work.poll();
            return;
        }
        if (!config.retriesForever() && w.attempts > config.maximumRetryAttempts()) {
            lane.work.poll();
            giveUp(w, FailureRecords.RETRY_ATTEMPTS_EXHAUSTED, Optional.of(functionError), w.lastRequestId);
            return;
        }
        w.notBefore = now().plus(retryDelay(w.attempts));
    }

    /**
     * The mapping's wait before retrying a batch: initial, doubling per attempt, capped, and without jitter (spec §9;
     * AWS's shape is not documented). Not {@code core.retry.Backoff}, our own clients' retry policy: this one imitates
     * AWS's mapping and must be deterministic, so that the test driver can say when each retry comes.
     */
    private Duration retryDelay(int attempts) {
        Duration d = config.retryBackoffInitial();
        for (int i = 1; i < attempts && d.compareTo(config.retryBackoffMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(config.retryBackoffMax()) > 0 ? config.retryBackoffMax() : d;
    }

    private void giveUp(Work w, String condition, Optional<Optional<String>> functionError, String requestId) {
        if (w.kind == Work.Kind.DATA) {
            if (!w.records.isEmpty()) {
                discards.giveUp(w.records, condition, w.approximateInvokeCount(), functionError, requestId);
            }
            return;
        }
        // A final (or early-termination) invoke given up: the window's aggregate is lost, so the destination must name
        // the window's records since its last checkpoint (a last chunk carried by the final invoke among them), except
        // those it named already when their batch was given up: each record is reported once.
        WindowProgress progress = checkpoints.windowProgress();
        progress.handled(w.records);
        for (WindowProgress.Run run : progress.unreported()) {
            discards.report(run.first(), run.last(), run.count(), condition, w.approximateInvokeCount(), functionError, requestId);
        }
        if (w.kind == Work.Kind.FINAL) {
            window.close(false);
        } else {
            window.endedEarly();
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
