package dev.kinesisaggs.esm.coordinator;

import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.processor.ShardProcessor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a mapping in real time: one thread per shard, which reads, cuts batches and invokes (with
 * ParallelizationFactor > 1 its lanes' invocations run on the mapping's invocation pool and the
 * shard's thread takes their results in as they come back), and one thread that looks for new
 * shards, e.g. the children of a split, and logs each shard's status now and then.
 */
public final class MappingRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MappingRunner.class.getName());

    private final ShardCoordinator coordinator;
    private final Clock clock;
    private final Duration discoveryInterval;
    private final Duration statusLogInterval;
    private final Duration joinTimeout;
    private final Wakeups wakeups;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private Thread coordinatorThread;

    /** @param wakeups signalled also by the invocation pool when a lane's invocation returns */
    public MappingRunner(ShardCoordinator coordinator, Clock clock, Duration discoveryInterval, Duration statusLogInterval,
                         Duration joinTimeout, Wakeups wakeups) {
        this.coordinator = coordinator;
        this.wakeups = wakeups;
        this.clock = clock;
        this.discoveryInterval = discoveryInterval;
        this.statusLogInterval = statusLogInterval;
        this.joinTimeout = joinTimeout;
    }

    public synchronized void start() {
        coordinatorThread = new Thread(this::coordinate, "esm-coordinator");
        coordinatorThread.setDaemon(true);
        coordinatorThread.start();
    }

    public boolean running() {
        return coordinatorThread != null && !closed;
    }

    private void coordinate() {
        Instant nextStatusLog = clock.instant();
        while (!closed) {
            long seen = wakeups.count();
            try {
                for (ShardProcessor p : coordinator.discover()) {
                    startShardThread(p);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Listing the stream's shards failed; trying again in " + discoveryInterval.toSeconds() + " s", e);
            }
            if (!clock.instant().isBefore(nextStatusLog)) {
                coordinator.statuses().forEach(s -> LOG.info(s.toLogLine()));
                nextStatusLog = clock.instant().plus(statusLogInterval);
            }
            waitUntil(clock.instant().plus(discoveryInterval), seen);
        }
    }

    private synchronized void startShardThread(ShardProcessor p) {
        if (closed) {
            return;
        }
        Thread t = new Thread(() -> runShard(p), "esm-" + p.shardId());
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void runShard(ShardProcessor p) {
        while (!closed) {
            long seen = wakeups.count();
            Instant next;
            try {
                next = p.step();
            } catch (RuntimeException e) {
                // A read or a checkpoint failed (network, throttling): the processor's state is unchanged; try again shortly.
                LOG.log(Level.WARNING, p.shardId() + ": " + e.getMessage() + "; retrying in 1 s", e);
                next = clock.instant().plusSeconds(1);
            }
            if (p.finished()) {
                // wake the coordinator: the children of this shard may start now
                wakeups.signal();
                return;
            }
            waitUntil(next, seen);
        }
    }

    private void waitUntil(Instant when, long seen) {
        if (closed) {
            return;
        }
        long ms = when.equals(ShardProcessor.NEVER) ? 1000 : Duration.between(clock.instant(), when).toMillis();
        try {
            wakeups.sleep(seen, ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    public List<ShardStatus> statuses() {
        return coordinator.statuses();
    }

    /** Stops every shard after its current step (an invocation in flight is allowed to finish, up to the join timeout). */
    @Override
    public void close() {
        closed = true;
        wakeups.signal();
        List<Thread> all;
        synchronized (this) {
            all = new ArrayList<>(threads);
            if (coordinatorThread != null) {
                all.add(coordinatorThread);
            }
        }
        Instant deadline = Instant.now().plus(joinTimeout);
        for (Thread t : all) {
            try {
                long ms = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                t.join(ms);
                if (t.isAlive()) {
                    LOG.warning(() -> t.getName() + " did not stop within " + joinTimeout.toSeconds() + " s; abandoning it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        coordinator.processors().forEach(ShardProcessor::close);
    }
}
