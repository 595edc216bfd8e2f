package dev.kinesisaggs.localaws;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each emulator it watches under a bound of anonymous resident memory: past it, the emulator is ended and
 * started again on its data directory, behind a {@link EmulatorGate} that holds the clients' requests meanwhile.
 *
 * <p>Why a restart and not a fix: with its data on disk, dynalite's own memory still rises with the requests it
 * serves (about 0.2 MB a minute at the demo's default rate, 0.6 at 1,000 trips/s; in glibc's heap, not in
 * JavaScript objects or LevelDB's caches, and no single operation leaks on its own), and a demo may run for days.
 * Whatever the cause, a process that starts again from its files is back at its starting size, and nothing the
 * clients wrote is lost: the emulators write through LevelDB (or, for kinesis-local, on SIGTERM) before they end.
 * Where {@code /proc} is missing (not Linux) the memory cannot be read, and nothing is restarted.
 */
final class MemoryBound implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryBound.class);
    private static final long MB = 1024 * 1024;
    /** How often the memory is read: a bound passed is met within this. */
    static final Duration EVERY = Duration.ofSeconds(2);

    private final long bytes;
    private final BiConsumer<EmulatorProcess, EmulatorProcess> replaced;
    private final List<Watched> watched = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-aws-memory-bound");
        t.setDaemon(true);
        return t;
    });

    /** One emulator under watch. */
    private static final class Watched {
        final EmulatorGate gate;
        final Supplier<EmulatorProcess> relaunch;
        volatile EmulatorProcess process;

        Watched(EmulatorGate gate, Supplier<EmulatorProcess> relaunch, EmulatorProcess process) {
            this.gate = gate;
            this.relaunch = relaunch;
            this.process = process;
        }
    }

    /**
     * @param megabytes the bound on each emulator's anonymous resident memory
     * @param replaced  told of each process replaced by another (old, new)
     */
    MemoryBound(int megabytes, BiConsumer<EmulatorProcess, EmulatorProcess> replaced) {
        this.bytes = megabytes * MB;
        this.replaced = replaced;
        checks.scheduleWithFixedDelay(this::check, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a gate on {@code port} (0: any free one) in front of {@code process}, and watches the process from now on.
     *
     * @param relaunch starts another process of the same emulator on the same data and waits until it answers
     * @return the gate's endpoint, which the clients are to use
     */
    URI watch(String name, int port, EmulatorProcess process, Supplier<EmulatorProcess> relaunch) {
        EmulatorGate gate = EmulatorGate.start(port, LocalAws.endpoint(process.port()), name);
        watched.add(new Watched(gate, relaunch, process));
        return LocalAws.endpoint(gate.port());
    }

    /** How many times each emulator (by its package: "dynalite") was restarted. */
    synchronized Map<String, Integer> restarts() {
        return Map.copyOf(restarts);
    }

    /** Restarts that failed, one sentence each: the clients of that emulator now get errors. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    private void check() {
        for (Watched w : watched) {
            EmulatorProcess process = w.process;
            ResidentMemory.of(process.pid()).filter(m -> m.anonymous() > bytes)
                    .ifPresent(m -> restart(w, process, m.anonymous()));
        }
    }

    private void restart(Watched w, EmulatorProcess old, long anonymous) {
        long started = System.nanoTime();
        try {
            w.gate.replace(() -> {
                old.close();
                EmulatorProcess fresh = w.relaunch.get();
                fresh.inUse();
                w.process = fresh;
                replaced.accept(old, fresh);
                return LocalAws.endpoint(fresh.port());
            });
            synchronized (this) {
                restarts.merge(old.name(), 1, Integer::sum);
            }
            LOG.info("The {} emulator passed its memory bound ({} MB anonymous resident, bound {} MB): started again on its"
                    + " data in {} ms, its requests held meanwhile.", old.name(), anonymous / MB, bytes / MB,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            watched.remove(w);
            String failure = "The " + old.name() + " emulator passed its memory bound and could not be started again: "
                    + e.getMessage();
            failures.add(failure);
            LOG.error(failure);
        }
    }

    /** Stops watching (a restart under way is finished first) and closes the gates; the processes are the caller's. */
    @Override
    public void close() {
        checks.shutdown();
        try {
            if (!checks.awaitTermination(2, TimeUnit.MINUTES)) {
                checks.shutdownNow();
            }
        } catch (InterruptedException e) {
            checks.shutdownNow();
            Thread.currentThread().interrupt();
        }
        new ArrayList<>(watched).forEach(w -> w.gate.close());
    }
}
