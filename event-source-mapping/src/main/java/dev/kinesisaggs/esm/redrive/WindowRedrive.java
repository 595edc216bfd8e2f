package dev.kinesisaggs.esm.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.invocation.Invoker;
import dev.kinesisaggs.esm.invocation.Outcome;
import dev.kinesisaggs.esm.invocation.ResponseInterpreter;
import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Redrives what a tumbling-window mapping gave up: for each shard and window that a failure record touches, every
 * record of that shard in that window is read again from the stream ({@code AT_TIMESTAMP} of the window's start, to
 * its end) and delivered to the function as Lambda delivers a window: batches with the state carried from one to the
 * next, starting from an empty state, then the final invoke.
 *
 * <p>Why the whole window, and not just the failed range: a window's aggregate is folded through the state, and the
 * state of the batches around a failed one was built without it; only a fresh delivery of the whole window holds
 * every record exactly once. What makes that exact for the function is the function's to say (for kinesis-aggs: of a
 * shard's complete deliveries, a reader counts those with disjoint record ranges that cover the most records; see the
 * function README). A window touched by several failure records is redriven once.
 */
public final class WindowRedrive {

    /** Lambda's limit on an invocation's payload. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final int ATTEMPTS = 3;

    /** A shard's window to deliver again. */
    public record ShardWindow(String streamArn, String shardId, TimeWindow window) {
        public String streamName() {
            return FailureRecord.streamName(streamArn);
        }
    }

    /**
     * What became of a shard's window.
     *
     * @param records      the records delivered again
     * @param invocations  the invocations it took, the final one included
     * @param failure      why the delivery stopped, when it did (the window is then left as it was)
     */
    public record Redriven(ShardWindow window, int records, int invocations, Optional<String> failure) {
        public boolean succeeded() {
            return failure.isEmpty();
        }
    }

    /**
     * What the stream still holds of a failure record's range.
     *
     * @param missingBefore the range's records that are gone: from its start up to the first one still held
     *                      (empty when its first record is still there)
     */
    public record Held(FailureRecord record, int held, Optional<String> missingBefore) {
    }

    private final KinesisClient kinesis;
    private final Invoker invoker;
    private final String awsRegion;
    private final String invokeIdentityArn;
    private final int windowSeconds;
    private final int batchSize;
    private final ResponseInterpreter interpreter = new ResponseInterpreter(true, false, true);

    /** @param awsRegion and {@code invokeIdentityArn}: what the events say of the function; each window's name its own stream */
    public WindowRedrive(KinesisClient kinesis, Invoker invoker, String awsRegion, String invokeIdentityArn, int windowSeconds,
                         int batchSize) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.invoker = Objects.requireNonNull(invoker, "invoker");
        this.awsRegion = Objects.requireNonNull(awsRegion, "awsRegion");
        this.invokeIdentityArn = Objects.requireNonNull(invokeIdentityArn, "invokeIdentityArn");
        if (windowSeconds < 1 || windowSeconds > EventSourceMappingConfig.MAX_TUMBLING_WINDOW_SECONDS) {
            throw new IllegalArgumentException("TumblingWindowInSeconds must be between 1 and "
                    + EventSourceMappingConfig.MAX_TUMBLING_WINDOW_SECONDS + ", not " + windowSeconds + ".");
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("BatchSize must be between 1 and 10000, not " + batchSize + ".");
        }
        this.windowSeconds = windowSeconds;
        this.batchSize = batchSize;
    }

    /**
     * The shard windows the records touch, each once, in the order first met, with the records that touch each. A
     * record of our mapping touches one window (a batch, a run given up, records past their age: each within one);
     * one whose arrivals span several is delivered in each, which redelivers whole windows and so stays exact whatever
     * AWS's own records hold, which it does not document. {@link #requireOneWindowEach} tells a wrong size from that.
     *
     * @param streamName the stream to read, when not the one the records name (an emulator's, say)
     */
    public Map<ShardWindow, List<FailureRecord>> byWindow(List<FailureRecord> records, Optional<String> streamName) {
        Map<ShardWindow, List<FailureRecord>> by = new LinkedHashMap<>();
        for (FailureRecord r : records) {
            String stream = streamName.map(r::streamArnNamed).orElse(r.streamArn());
            TimeWindow w = TimeWindow.containing(r.firstArrival(), windowSeconds);
            while (!w.start().isAfter(r.lastArrival())) {
                by.computeIfAbsent(new ShardWindow(stream, r.shardId(), w), k -> new ArrayList<>()).add(r);
                w = new TimeWindow(w.end(), w.end().plusSeconds(windowSeconds));
            }
        }
        return by;
    }

    /**
     * Refuses records whose arrivals fall in two windows of this size. Our mapping's never do, so such a record means
     * the mapping's windows were of another size, and delivering its records as windows of this one would count them
     * under windows the mapping never had. Only a smaller size shows this way, and only on a record that spans one of
     * its boundaries; a larger one cannot be told from the records (a function whose readers count each record once
     * whatever window holds it, as kinesis-aggs' do, stays exact either way).
     */
    public static void requireOneWindowEach(List<FailureRecord> records, int windowSeconds) {
        for (FailureRecord r : records) {
            if (!r.lastArrival().isBefore(TimeWindow.containing(r.firstArrival(), windowSeconds).end())) {
                throw new IllegalArgumentException("The on-failure record of " + r.shardId() + " from " + r.startSequenceNumber()
                        + " holds records that arrived from " + r.firstArrival() + " to " + r.lastArrival() + ", in more than one "
                        + windowSeconds + " s window, which a batch of a tumbling window never does: give the mapping's"
                        + " TumblingWindowInSeconds with --window (or, if it is the mapping's, --spanning-records to redrive"
                        + " each window the record touches).");
            }
        }
    }

    /** What reading a shard's window again gave: its records, or that the shard cannot be read at all. */
    public sealed interface Read {
    }

    /** The shard's records of the window, in order (none when the stream no longer holds them). */
    public record Records(List<StreamRecord> records) implements Read {
    }

    /**
     * The shard (or its stream) does not exist, so the records the failure records name cannot be read back: a record
     * for another stream, a shard of a deleted stream, or a line edited by hand. Only such records are skipped; the
     * other windows are still redriven.
     */
    public record NoSuchShard(String reason) implements Read {
    }

    /** Kinesis's rule for stream names and shard ids: a name outside it names nothing, and Kinesis refuses to look. */
    private static final Pattern KINESIS_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    /** Reads the shard's records of the window again, in order. */
    public Read read(ShardWindow w) {
        String shard = "shard " + w.shardId() + " of stream " + w.streamName() + " does not exist";
        if (!KINESIS_NAME.matcher(w.streamName()).matches() || !KINESIS_NAME.matcher(w.shardId()).matches()) {
            return new NoSuchShard(shard + " (Kinesis names a stream or a shard with letters, digits, '_', '.' and '-' only)");
        }
        try {
            return new Records(readRecords(w));
        } catch (ResourceNotFoundException e) {
            String said = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                    : " (Kinesis: " + e.awsErrorDetails().errorMessage().strip() + ")";
            return new NoSuchShard(shard + said);
        }
    }

    private List<StreamRecord> readRecords(ShardWindow w) {
        String iterator = kinesis.getShardIterator(b -> b.streamName(w.streamName()).shardId(w.shardId())
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(w.window().start())).shardIterator();
        List<StreamRecord> records = new ArrayList<>();
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
            for (Record r : page.records()) {
                if (!r.approximateArrivalTimestamp().isBefore(w.window().end())) {
                    return records;
                }
                if (!r.approximateArrivalTimestamp().isBefore(w.window().start())) {
                    records.add(new StreamRecord(w.shardId(), r.sequenceNumber(), r.partitionKey(), r.data().asByteArray(),
                            r.approximateArrivalTimestamp()));
                }
            }
            if (page.records().isEmpty() && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0)) {
                return records; // the shard's end, for now
            }
            iterator = page.nextShardIterator();
        }
        return records; // a closed shard, read to its end
    }

    /**
     * What of a failure record's range the records read hold. Only the window of the record's first arrival can say
     * that its start is gone: a later window of a record that spans several never held it.
     */
    public static Held held(FailureRecord r, ShardWindow w, List<StreamRecord> read) {
        BigInteger start = new BigInteger(r.startSequenceNumber());
        BigInteger end = new BigInteger(r.endSequenceNumber());
        List<StreamRecord> inRange = read.stream()
                .filter(s -> s.sequence().compareTo(start) >= 0 && s.sequence().compareTo(end) <= 0).toList();
        boolean holdsTheStart = !r.firstArrival().isBefore(w.window().start()) && r.firstArrival().isBefore(w.window().end());
        if (!holdsTheStart || (!inRange.isEmpty() && inRange.get(0).sequenceNumber().equals(r.startSequenceNumber()))) {
            return new Held(r, inRange.size(), Optional.empty());
        }
        String gone = inRange.isEmpty() ? "all of it (" + r.startSequenceNumber() + " to " + r.endSequenceNumber() + ")"
                : r.startSequenceNumber() + " up to " + inRange.get(0).sequenceNumber() + " (not included)";
        return new Held(r, inRange.size(), Optional.of(gone));
    }

    /** Delivers the window's records again as a fresh delivery of the window: batches with state, then the final invoke. */
    public Redriven deliver(ShardWindow w, List<StreamRecord> records) {
        // each window's events name its own stream, as AWS's would: a failure file may hold several streams' records
        EventJson events = new EventJson(w.streamArn(), awsRegion, invokeIdentityArn);
        String lane = "redrive-" + w.shardId();
        JsonNode state = EventJson.mapper().createObjectNode();
        int invocations = 0;
        int from = 0;
        while (from < records.size()) {
            int to = batchEnd(events, records, from, w, state);
            List<StreamRecord> batch = records.subList(from, to);
            Attempt a = invoke(lane, events.windowEvent(batch, w.window(), state, w.shardId(), false, false), batch);
            invocations += a.invocations;
            if (a.failure != null) {
                return new Redriven(w, records.size(), invocations, Optional.of("the batch from " + batch.get(0).sequenceNumber()
                        + " failed " + ATTEMPTS + " times: " + a.failure));
            }
            state = a.state;
            from = to;
        }
        Attempt last = invoke(lane, events.windowEvent(List.of(), w.window(), state, w.shardId(), true, false), List.of());
        invocations += last.invocations;
        return new Redriven(w, records.size(), invocations, last.failure == null ? Optional.empty()
                : Optional.of("the final invoke failed " + ATTEMPTS + " times: " + last.failure));
    }

    private int batchEnd(EventJson events, List<StreamRecord> records, int from, ShardWindow w, JsonNode state) {
        int bytes = events.windowEnvelopeBytes(w.window(), state, w.shardId(), false, false);
        int to = from;
        while (to < records.size() && to - from < batchSize) {
            int next = events.recordBytes(records.get(to)) + 1;
            if (to > from && bytes + next > MAX_PAYLOAD_BYTES) {
                break;
            }
            bytes += next;
            to++;
        }
        return to;
    }

    private record Attempt(int invocations, JsonNode state, String failure) {
    }

    private Attempt invoke(String lane, String event, List<StreamRecord> batch) {
        Set<String> sequenceNumbers = new HashSet<>();
        batch.forEach(r -> sequenceNumbers.add(r.sequenceNumber()));
        String failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            InvocationResult result = invoker.invoke(lane, event);
            Outcome outcome = interpreter.interpret(result, sequenceNumbers);
            if (outcome instanceof Outcome.Succeeded s) {
                return new Attempt(attempt, s.state().orElseGet(() -> EventJson.mapper().createObjectNode()), null);
            }
            failure = outcome instanceof Outcome.Failed f ? f.reason()
                    : outcome instanceof Outcome.Throttled ? "throttled: the function's concurrency limit was reached"
                    : "a partial answer, which a window's delivery cannot take";
        }
        return new Attempt(ATTEMPTS, null, failure);
    }
}
