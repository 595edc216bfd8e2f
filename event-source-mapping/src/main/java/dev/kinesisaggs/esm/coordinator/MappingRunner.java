package dev.kinesisaggs.esm.coordinator;

import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.processor.RetriedFailure;
import dev.kinesisaggs.esm.processor.ShardProcessor;
import dev.kinesisaggs.esm.retrieval.StreamGoneException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a mapping in real time: one thread per shard, which reads, cuts batches and invokes (with
 * ParallelizationFactor > 1 its lanes' invocations run on the mapping's invocation pool and the
 * shard's thread takes their results in as they come back), and one thread that looks for new
 * shards, e.g. the children of a split, and logs each shard's status now and then.
 */
public final class MappingRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MappingRunner.class);

    private final ShardCoordinator coordinator;
    private final Consumer<String> stopsBecause;
    private final Clock clock;
    private final Duration discoveryInterval;
    private final Duration statusLogInterval;
    private final Duration joinTimeout;
    /** The coordinator's: signalled when a shard finishes (its children may start) and on close; nothing else. */
    private final Wakeups coordinatorWakeups = new Wakeups();
    /** Each shard's own: signalled by its lanes' returning invocations and on close. */
    private final List<Wakeups> shardWakeups = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    /** Until when, once closing, a shard waits for its lanes' invocations in flight. */
    private volatile Instant closeDeadline;
    private Thread coordinatorThread;

    /**
     * @param stopsBecause told, in one sentence, when the mapping cannot go on by itself (its stream was deleted); it is
     *                     to stop the runner
     */
    public MappingRunner(ShardCoordinator coordinator, Clock clock, Duration discoveryInterval, Duration statusLogInterval,
                         Duration joinTimeout, Consumer<String> stopsBecause) {
        this.coordinator = coordinator;
        this.stopsBecause = stopsBecause;
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
            long seen = coordinatorWakeups.count();
            try {
                for (ShardProcessor p : coordinator.discover()) {
                    startShardThread(p);
                }
            } catch (StreamGoneException e) {
                stopsBecause.accept(e.getMessage()); // which logs it
                return;
            } catch (RuntimeException e) {
                RetriedFailure.warn(LOG, "Listing the stream's shards failed; trying again in " + discoveryInterval.toSeconds() + " s", e);
            }
            if (!clock.instant().isBefore(nextStatusLog)) {
                coordinator.statuses().forEach(s -> LOG.info(s.toLogLine()));
                nextStatusLog = clock.instant().plus(statusLogInterval);
            }
            waitUntil(clock.instant().plus(discoveryInterval), coordinatorWakeups, seen);
        }
    }

    private synchronized void startShardThread(ShardProcessor p) {
        if (closed) {
            return;
        }
        Wakeups wakeups = new Wakeups();
        p.onInvocationReturned(wakeups::signal);
        Thread t = new Thread(() -> runShard(p, wakeups), "esm-" + p.shardId());
        t.setDaemon(true);
        shardWakeups.add(wakeups);
        threads.add(t);
        t.start();
    }

    private void runShard(ShardProcessor p, Wakeups wakeups) {
        while (!closed) {
            long seen = wakeups.count();
            Instant next;
            try {
                next = p.step();
            } catch (RuntimeException e) {
                // A read or a checkpoint failed (network, throttling): the processor's state is unchanged; try again shortly.
                RetriedFailure.warn(LOG, p.shardId() + ": retrying in 1 s", e);
                next = clock.instant().plusSeconds(1);
            }
            if (p.finished()) {
                // wake the coordinator: the children of this shard may start now
                coordinatorWakeups.signal();
                return;
            }
            waitUntil(next, wakeups, seen);
        }
        // closing: the lanes' invocations in flight may finish, up to the join timeout, and be checkpointed
        Instant deadline = closeDeadline;
        p.finishInFlight(deadline == null ? Duration.ZERO : Duration.between(Instant.now(), deadline));
    }

    private void waitUntil(Instant when, Wakeups wakeups, long seen) {
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
        close(joinTimeout);
    }

    /** {@link #close()}, with {@code grace} instead of the join timeout for the invocations in flight. */
    public void close(Duration grace) {
        stop(grace);
        Instant deadline = closeDeadline.plusSeconds(1); // a moment more than the shards' wait, to take in what returned last
        for (Thread t : threads()) {
            try {
                long ms = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                t.join(ms);
                if (t.isAlive() && !grace.isZero()) {
                    LOG.atWarn().log(() -> t.getName() + " did not stop within " + grace.toSeconds() + " s; abandoning it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        coordinator.processors().forEach(ShardProcessor::close);
    }

    /**
     * Tells the coordinator and every shard to stop after their current step, giving invocations in flight
     * {@code grace} to finish, and returns at once; {@link #close(Duration)} also waits for them.
     */
    public void stop(Duration grace) {
        closeDeadline = Instant.now().plus(grace);
        closed = true;
        synchronized (this) {
            shardWakeups.forEach(Wakeups::signal);
        }
        coordinatorWakeups.signal();
    }

    private synchronized List<Thread> threads() {
        List<Thread> all = new ArrayList<>(threads);
        if (coordinatorThread != null) {
            all.add(coordinatorThread);
        }
        return all;
    }
}
