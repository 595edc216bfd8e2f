package dev.kinesisaggs.localaws;

import java.net.URI;
import java.time.Duration;
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
 * Keeps each emulator it watches running and under a bound of anonymous resident memory: past it, or ended (killed
 * from outside, crashed), the emulator is started again on its data directory, behind an {@link EmulatorGate} that
 * holds the clients' requests meanwhile.
 *
 * <p>Why a restart and not a fix: with its data on disk, dynalite's own memory still rises with the requests it
 * serves (about 0.2 MB a minute at the demo's default rate, 0.6 at 1,000 trips/s; in glibc's heap, not in
 * JavaScript objects or LevelDB's caches, and no single operation leaks on its own), and a demo may run for days.
 * Whatever the cause, a process that starts again from its files is back at its starting size, and nothing the
 * clients were answered is lost: dynalite and kinesalite write through LevelDB before they answer. (kinesis-local,
 * which keeps its data in memory and writes it out every second, is not put under a bound by {@link LocalAws}.)
 */
final class MemoryBound implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryBound.class);
    private static final long MB = 1024 * 1024;
    /** How often the memory is read: a bound passed is met within this. */
    static final Duration EVERY = Duration.ofSeconds(2);
    /**
     * How long a process runs at least before it is restarted for its memory: an emulator that is past the bound
     * as soon as it starts (a bound below its starting size) is restarted once a minute, not at every check, and
     * says so. Tests set it to zero.
     */
    static volatile Duration minimumLifetime = Duration.ofMinutes(1);
    /** An emulator that ended by itself this many times in a row, each within {@link #minimumLifetime}, is left ended. */
    static final int MAX_EARLY_ENDS = 3;

    private final long bytes;
    private final BiConsumer<EmulatorProcess, EmulatorProcess> replaced;
    private final List<Watched> watched = new CopyOnWriteArrayList<>();
    private final Map<String, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> restarts = new LinkedHashMap<>();
    private volatile boolean closing;
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
        volatile long startedNanos = System.nanoTime();
        /** The last restart ended the process and could not start another: the next check tries again. */
        volatile boolean down;
        /** How many times in a row the process ended by itself before it had run {@link #minimumLifetime}. */
        int earlyEnds;
        /** It kept ending early: it is left ended, and said to be. */
        volatile boolean givenUp;

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

    /** Whether this machine lets a process's resident memory be read ({@code /proc}, Linux): without it, no bound holds. */
    static boolean readable() {
        return ResidentMemory.of(ProcessHandle.current().pid()).isPresent();
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
        checkWhenEnded(process);
        return LocalAws.endpoint(gate.port());
    }

    /** How many times each emulator (by its package: "dynalite") was restarted. */
    synchronized Map<String, Integer> restarts() {
        return Map.copyOf(restarts);
    }

    /**
     * Emulators that could not be started again, one sentence each: until a restart succeeds (which takes the sentence
     * back), the gate closes the connections of that emulator's requests.
     */
    List<String> failures() {
        return List.copyOf(failures.values());
    }

    /** Whether {@code process} is one this bound keeps running (it starts it again when it ends). */
    boolean watches(EmulatorProcess process) {
        return watched.stream().anyMatch(w -> w.process == process);
    }

    /**
     * A check as soon as the process ends, not at the next one: until the gate holds its requests for the restart,
     * they meet a closed port, and fail once the clients' retries are spent.
     */
    private void checkWhenEnded(EmulatorProcess process) {
        process.keptRunning();
        process.whenEnded(() -> {
            try {
                checks.execute(this::check);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // the bound is closed: the emulators are being stopped
            }
        });
    }

    private void check() {
        for (Watched w : watched) {
            try {
                EmulatorProcess process = w.process;
                if (w.givenUp) {
                    continue;
                }
                if (w.down) {
                    restart(w, process, "could not be started again at the last try");
                    continue;
                }
                if (!process.isAlive()) {
                    // killed from outside, or crashed: its data is on disk as it answered, so it goes on from there
                    if (!process.endedOnCtrlC()) {
                        restartOrGiveUp(w, process);
                    }
                    continue;
                }
                long lived = System.nanoTime() - w.startedNanos;
                ResidentMemory.of(process.pid())
                        .filter(m -> m.anonymous() > bytes && lived >= minimumLifetime.toNanos())
                        .ifPresent(m -> restart(w, process, "passed its memory bound (" + m.anonymous() / MB
                                + " MB anonymous resident, bound " + bytes / MB + " MB)"));
            } catch (RuntimeException e) {
                // a check that failed must not end the checks to come
                LOG.warn("The memory bound's check failed: {}", e.toString());
            }
        }
    }

    /**
     * Starts an emulator that ended again, unless it keeps ending soon after its start (a request that crashes it, met
     * again by the clients' retries through the gate): then it is left ended and said to be, instead of started for ever.
     */
    private void restartOrGiveUp(Watched w, EmulatorProcess ended) {
        boolean early = System.nanoTime() - w.startedNanos < minimumLifetime.toNanos();
        w.earlyEnds = early ? w.earlyEnds + 1 : 0;
        if (w.earlyEnds < MAX_EARLY_ENDS) {
            restart(w, ended, ended.ending());
            return;
        }
        w.givenUp = true;
        String failure = "The " + ended.name() + " emulator " + ended.ending() + ": it ended " + MAX_EARLY_ENDS + " times in a"
                + " row, each within " + minimumLifetime.toSeconds() + " s of its start, and is not started again. "
                + ended.unexpectedExit().orElse("");
        failures.put(ended.name(), failure.strip());
        LOG.error(failure.strip());
    }

    private void restart(Watched w, EmulatorProcess old, String why) {
        if (closing) {
            return;
        }
        long started = System.nanoTime();
        boolean wasDown = w.down;
        boolean died = !wasDown && !old.isAlive(); // not its memory: worth a warning
        try {
            w.gate.replace(() -> {
                old.close();
                w.down = true;
                EmulatorProcess fresh = w.relaunch.get();
                fresh.inUse();
                replaced.accept(old, fresh);
                w.process = fresh;
                checkWhenEnded(fresh);
                w.startedNanos = System.nanoTime();
                w.down = false;
                return LocalAws.endpoint(fresh.port());
            });
            synchronized (this) {
                restarts.merge(old.name(), 1, Integer::sum);
            }
            failures.remove(old.name());
            LOG.atLevel(died ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.INFO)
                    .log("The {} emulator {}: started again on its data in {} ms, its requests held meanwhile.", old.name(), why,
                            (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            if (closing || shuttingDown()) {
                return; // Ctrl-C reaches the new process too, and everything is stopping anyway
            }
            String failure = "The " + old.name() + " emulator " + why + " and could not be started again (tried again every "
                    + EVERY.toSeconds() + " s): " + e.getMessage();
            if (!wasDown) { // said once, not at every try
                failures.put(old.name(), failure);
                LOG.error(failure);
            }
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /**
     * Stops watching and closes the gates; the processes are the caller's. A restart under way is cut short (the
     * process it was starting is ended): the emulators are about to be stopped anyway.
     */
    @Override
    public void close() {
        closing = true;
        checks.shutdownNow();
        try {
            if (!checks.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("The memory bound's check did not stop within 30 s.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watched.forEach(w -> w.gate.close());
    }
}
