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
 */
final class PidFiles {
    private final Path directory;

    PidFiles(Path directory) {
        this.directory = directory;
    }

    void record(ProcessHandle emulator) {
        try {
            Files.createDirectories(directory);
            Files.writeString(file(emulator.pid()), Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
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
            long ownerPid = Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip());
            if (ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false)) {
                return false;
            }
            Optional<ProcessHandle> emulator = ProcessHandle.of(emulatorPid).filter(PidFiles::isOurEmulator);
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

    static void killTree(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private Path file(long pid) {
        return directory.resolve(pid + ".pid");
    }
}
