package dev.kinesisaggs.app.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Where the demo's emulators keep their data: a temporary directory, deleted when the demo stops. In memory, kinesalite
 * keeps every record put on the stream (it drops records older than the retention period, 24 hours at least, only when
 * a reader passes them, and readers stay at the tip) and dynalite keeps every trip and rejected record, so their
 * resident memory would grow with the trips sent. On disk, through LevelDB, it stays at the size of LevelDB's caches
 * while the directory grows.
 *
 * <p>A demo that could not clean up (killed, or its Ctrl-C shutdown cut short after 20 s on a loaded machine) leaves
 * its directory behind; the next demo deletes those whose JVM is gone, which it finds by the pid written in each.
 */
public final class DemoDataDirectory implements AutoCloseable {
    private static final String PREFIX = "kinesis-aggs-demo-data-";
    private static final String OWNER = "owner.pid";
    /** A directory this young without an owner file may be another demo's, between creating it and writing the file. */
    private static final Duration BEING_CREATED = Duration.ofMinutes(1);
    /** How long the shutdown hook waits for the emulators to go before it deletes their files. */
    private static final Duration EMULATOR_EXIT = Duration.ofSeconds(10);

    private final Path path;
    private Thread shutdownHook;

    private DemoDataDirectory(Path path) {
        this.path = path;
    }

    public static DemoDataDirectory create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static DemoDataDirectory create(Path temporary) throws IOException {
        deleteLeftovers(temporary);
        Path path = Files.createTempDirectory(temporary, PREFIX);
        Files.writeString(path.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
        return new DemoDataDirectory(path);
    }

    public Path path() {
        return path;
    }

    /** The size of the files in it; empty once it is gone. */
    public OptionalLong bytesOnDisk() {
        if (!Files.isDirectory(path)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> files = Files.walk(path)) {
            return OptionalLong.of(files.mapToLong(DemoDataDirectory::size).sum());
        } catch (IOException | UncheckedIOException e) {
            // LevelDB compacts while we walk: a file listed and gone a moment later; the next sample will do
            return OptionalLong.empty();
        }
    }

    /**
     * Deletes the directory at JVM shutdown too, once these processes (the emulators, which LocalAws's own shutdown
     * hook kills) have exited: on Ctrl-C the JVM may halt before the demo gets to {@link #close()}, as it waits for the
     * demo's clean-up 20 s at most.
     */
    public synchronized void deleteAtShutdownAfter(Collection<Long> emulatorPids) {
        shutdownHook = new Thread(() -> {
            for (long pid : emulatorPids) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    try {
                        p.onExit().get(EMULATOR_EXIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException | ExecutionException | TimeoutException e) {
                        // delete what can be deleted; the next demo deletes the rest
                    }
                });
            }
            delete();
        }, "kinesis-aggs-demo-data");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Deletes the directory and everything in it; call it after the emulators have stopped. */
    @Override
    public synchronized void close() {
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook deletes it too; deleting twice does no harm
            }
        }
        delete();
    }

    private void delete() {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: what is left is in the temporary directory
                }
            });
        } catch (IOException ignored) {
            // already gone, or unreadable: nothing more to do
        }
    }

    private static void deleteLeftovers(Path temporary) {
        try (Stream<Path> candidates = Files.list(temporary)) {
            candidates.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .filter(DemoDataDirectory::ownerGone)
                    .forEach(p -> new DemoDataDirectory(p).delete());
        } catch (IOException | UncheckedIOException ignored) {
            // leftovers stay until the next start; they do not hinder this one
        }
    }

    private static boolean ownerGone(Path directory) {
        try {
            long pid = Long.parseLong(Files.readString(directory.resolve(OWNER)).strip());
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException noOwnerFile) {
            try {
                return Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(BEING_CREATED));
            } catch (IOException gone) {
                return false;
            }
        }
    }

    private static long size(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() ? attributes.size() : 0;
        } catch (IOException gone) {
            return 0;
        }
    }
}
