package dev.kinesisaggs.app.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A process's resident memory, as Linux reports it in {@code /proc/PID/status} (VmRSS): the RAM the process really
 * holds, whatever it runs (a JVM's heap figures leave out its native memory, and say nothing of node).
 */
public final class ResidentMemory {
    private static final String VM_RSS = "VmRSS:";

    private ResidentMemory() {
    }

    /** The resident bytes of {@code pid}; empty when the process is gone or the system has no {@code /proc}. */
    public static OptionalLong bytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(VM_RSS)) {
                    // e.g. "VmRSS:	  123456 kB"
                    String[] parts = line.substring(VM_RSS.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException gone) {
            return OptionalLong.empty();
        }
    }
}
