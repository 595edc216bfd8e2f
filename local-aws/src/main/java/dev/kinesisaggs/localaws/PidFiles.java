package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One file per running emulator, naming the JVM that owns it. The guard script already makes
 * an emulator exit when its JVM dies; this is the second line of defence: at start, any
 * emulator of ours whose JVM is gone is killed, so that a second run never finds its ports
 * taken by a stray process of the first.
 *
 * <p>Pids are reused. The file ({@code <emulator pid>.pid}) holds the owner's pid and the start times of both
 * processes ({@code ownerPid ownerStartMillis emulatorStartMillis}): an owner pid now held by another process
 * counts as gone, and an emulator pid now held by another process (another run's emulator, say) is never killed.
 * A file without start times (an older version's) is removed without killing anything.
 */
final class PidFiles {
    private final Path directory;

    PidFiles(Path directory) {
        this.directory = directory;
    }

    void record(ProcessHandle emulator) {
        try {
            Files.createDirectories(directory);
            ProcessHandle owner = ProcessHandle.current();
            Files.writeString(file(emulator.pid()), owner.pid() + " " + startMillis(owner) + " " + startMillis(emulator),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            // without the file only the second line of defence is missing; the guard still works
        }
    }

    void forget(long emulatorPid) {
        try {
            Files.deleteIfExists(file(emulatorPid));
        } catch (IOException ignored) {
            // a stale file is harmless: the owner check below skips it
        }
    }

    /** Kills emulators of ours whose owning JVM has died; returns how many were killed. */
    int killOrphans() {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int killed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.pid")) {
            for (Path file : files) {
                killed += killIfOrphan(file) ? 1 : 0;
            }
        } catch (IOException ignored) {
            // nothing to clean up then
        }
        return killed;
    }

    private boolean killIfOrphan(Path file) {
        try {
            String name = file.getFileName().toString();
            long emulatorPid = Long.parseLong(name.substring(0, name.length() - ".pid".length()));
            String[] fields = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            if (fields.length != 3) {
                Files.deleteIfExists(file); // without start times nothing can be told apart from a reused pid
                return false;
            }
            long ownerPid = Long.parseLong(fields[0]);
            long ownerStart = Long.parseLong(fields[1]);
            long emulatorStart = Long.parseLong(fields[2]);
            if (ProcessHandle.of(ownerPid).filter(p -> p.isAlive() && startMillis(p) == ownerStart).isPresent()) {
                return false;
            }
            Optional<ProcessHandle> emulator = ProcessHandle.of(emulatorPid)
                    .filter(p -> emulatorStart != -1 && startMillis(p) == emulatorStart && isOurEmulator(p));
            emulator.ifPresent(PidFiles::killTree);
            Files.deleteIfExists(file);
            return emulator.isPresent();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Pids are reused: only a process running our guard script is ours. */
    static boolean isOurEmulator(ProcessHandle process) {
        return process.isAlive()
                && process.info().commandLine().map(line -> line.contains(NodeModules.GUARD_SCRIPT)).orElse(false);
    }

    /** When the process started, to the millisecond; -1 when the system does not say (then it matches no record). */
    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    }

    static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private Path file(long pid) {
        return directory.resolve(pid + ".pid");
    }
}
