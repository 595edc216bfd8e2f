package dev.kinesisaggs.esm.retrieval;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kinesis stream held in memory, for tests and the test driver. A record becomes readable
 * once the clock has reached its arrival time, so a test can lay out records in the future
 * and then advance the clock. Shards can be split and merged, keeping Kinesis' lineage.
 * Thread-safe, so the threaded runner can read it too.
 */
public final class InMemoryStream implements StreamSource {

    /** Sequence numbers shaped like Kinesis' (56 digits), so that anything comparing them as longs or strings would break. */
    private static final BigInteger SEQUENCE_BASE = new BigInteger("49590338271490256608559692538361571095921575989136588800");

    private final String streamArn;
    private final Clock clock;
    private final Map<String, Shard> shards = new LinkedHashMap<>();
    private BigInteger nextSequence = SEQUENCE_BASE;
    private int nextShardIndex = 0;
    private boolean newestFirst;
    private Optional<Duration> retention = Optional.empty();

    public InMemoryStream(String streamArn, int shardCount, Clock clock) {
        this.streamArn = streamArn;
        this.clock = clock;
        for (int i = 0; i < shardCount; i++) {
            addShard(Optional.empty(), Optional.empty());
        }
    }

    private static final class Shard {
        final ShardInfo info;
        final List<StreamRecord> records = new ArrayList<>();
        final java.util.Set<Integer> throttledReads = new java.util.HashSet<>();
        int reads;
        boolean closed;

        Shard(ShardInfo info) {
            this.info = info;
        }
    }

    private synchronized String addShard(Optional<String> parent, Optional<String> adjacent) {
        String id = String.format("shardId-%012d", nextShardIndex++);
        shards.put(id, new Shard(new ShardInfo(id, parent, adjacent, false)));
        return id;
    }

    /** The stream's retention period (none by default: records are kept for ever). */
    public synchronized void retention(Duration period) {
        retention = Optional.of(period);
    }

    @Override
    public synchronized Optional<Duration> retention() {
        return retention;
    }

    @Override
    public String streamArn() {
        return streamArn;
    }

    /** The ids of the shards, in creation order. */
    public synchronized List<String> shardIds() {
        return List.copyOf(shards.keySet());
    }

    /** Appends a record that arrives at {@code arrival}; arrivals must not go backwards within a shard. */
    public synchronized StreamRecord append(String shardId, String partitionKey, byte[] data, Instant arrival) {
        Shard shard = shard(shardId);
        if (shard.closed) {
            throw new IllegalStateException(shardId + " is closed: append to one of its child shards.");
        }
        if (!shard.records.isEmpty() && arrival.isBefore(shard.records.get(shard.records.size() - 1).approximateArrivalTimestamp())) {
            throw new IllegalArgumentException("Arrival times must not go backwards within " + shardId + ".");
        }
        nextSequence = nextSequence.add(BigInteger.valueOf(1000));
        StreamRecord r = new StreamRecord(shardId, nextSequence.toString(), partitionKey, data, arrival);
        shard.records.add(r);
        return r;
    }

    public StreamRecord append(String shardId, String text, Instant arrival) {
        return append(shardId, "pk", text.getBytes(StandardCharsets.UTF_8), arrival);
    }

    /** Closes {@code shardId} and creates two children, as {@code SplitShard} does. Returns the children's ids. */
    public synchronized List<String> split(String shardId) {
        shard(shardId).closed = true;
        String a = addShard(Optional.of(shardId), Optional.empty());
        String b = addShard(Optional.of(shardId), Optional.empty());
        return List.of(a, b);
    }

    /** Closes both shards and creates their merged child, as {@code MergeShards} does. Returns the child's id. */
    public synchronized String merge(String shardId, String adjacentShardId) {
        shard(shardId).closed = true;
        shard(adjacentShardId).closed = true;
        return addShard(Optional.of(shardId), Optional.of(adjacentShardId));
    }

    /** Every record ever appended to a shard, readable or not. */
    public synchronized List<StreamRecord> records(String shardId) {
        return List.copyOf(shard(shardId).records);
    }

    @Override
    public synchronized List<ShardInfo> listShards() {
        List<ShardInfo> out = new ArrayList<>();
        for (Shard s : shards.values()) {
            out.add(new ShardInfo(s.info.shardId(), s.info.parentShardId(), s.info.adjacentParentShardId(), s.closed));
        }
        if (newestFirst) {
            Collections.reverse(out);
        }
        return out;
    }

    /**
     * From now on lists the shards newest first, children before their parents. ListShards promises no order, and a
     * consumer that processed shards in the order listed would find parents first by luck: a test that lists children
     * first shows that the lineage, not the listing, decides.
     */
    public synchronized void listNewestFirst() {
        newestFirst = true;
    }

    @Override
    public synchronized ShardReader openReader(String shardId, ShardPosition position) {
        Shard shard = shard(shardId);
        // Java 17: no pattern matching in switch yet.
        int start;
        if (position instanceof ShardPosition.TrimHorizon) {
            start = 0;
        } else if (position instanceof ShardPosition.Latest) {
            start = visibleCount(shard);
        } else if (position instanceof ShardPosition.AtTimestamp at) {
            start = firstIndex(shard, r -> !r.approximateArrivalTimestamp().isBefore(at.timestamp()));
        } else if (position instanceof ShardPosition.AtSequenceNumber at) {
            BigInteger seq = new BigInteger(at.sequenceNumber());
            start = firstIndex(shard, r -> r.sequence().compareTo(seq) >= 0);
        } else {
            BigInteger seq = new BigInteger(((ShardPosition.AfterSequenceNumber) position).sequenceNumber());
            start = firstIndex(shard, r -> r.sequence().compareTo(seq) > 0);
        }
        return new Reader(shard, start);
    }

    private int visibleCount(Shard shard) {
        Instant now = clock.instant();
        int n = 0;
        while (n < shard.records.size() && !shard.records.get(n).approximateArrivalTimestamp().isAfter(now)) {
            n++;
        }
        return n;
    }

    private static int firstIndex(Shard shard, java.util.function.Predicate<StreamRecord> p) {
        for (int i = 0; i < shard.records.size(); i++) {
            if (p.test(shard.records.get(i))) {
                return i;
            }
        }
        return shard.records.size();
    }

    /**
     * Makes the given reads of a shard (1 for its first read by any reader, 2 for the second, ...)
     * throttled, as Kinesis answers with ProvisionedThroughputExceededException: no records.
     */
    public synchronized void throttleReads(String shardId, Integer... readNumbers) {
        shard(shardId).throttledReads.addAll(List.of(readNumbers));
    }

    private Shard shard(String shardId) {
        Shard s = shards.get(shardId);
        if (s == null) {
            throw new IllegalArgumentException("No shard " + shardId + " in " + streamArn + ".");
        }
        return s;
    }

    private final class Reader implements ShardReader {
        private final Shard shard;
        private int next;

        Reader(Shard shard, int start) {
            this.shard = shard;
            this.next = start;
        }

        @Override
        public ReadResult read(int limit) {
            synchronized (InMemoryStream.this) {
                if (shard.throttledReads.contains(++shard.reads)) {
                    return ReadResult.throttledRead();
                }
                int visible = visibleCount(shard);
                int end = Math.min(visible, next + limit);
                List<StreamRecord> out = new ArrayList<>(shard.records.subList(Math.min(next, end), end));
                next = Math.max(next, end);
                long behind = 0;
                if (next < visible && !out.isEmpty()) {
                    behind = shard.records.get(visible - 1).approximateArrivalTimestamp().toEpochMilli()
                            - out.get(out.size() - 1).approximateArrivalTimestamp().toEpochMilli();
                }
                boolean ended = shard.closed && next >= shard.records.size();
                return new ReadResult(out, behind, ended);
            }
        }
    }
}
