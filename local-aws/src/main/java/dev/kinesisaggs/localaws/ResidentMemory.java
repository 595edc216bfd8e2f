package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process's resident memory, as Linux reports it in {@code /proc/PID/status}: the RAM the process holds, whatever
 * it runs (a JVM's heap figures leave out its native memory, and say nothing of node).
 *
 * @param total     VmRSS, all resident pages
 * @param anonymous RssAnon, the process's own memory (heaps, buffers); the rest is mostly files mapped into it, such
 *                  as LevelDB's table files, which the kernel drops and reads again as it needs the room
 */
public record ResidentMemory(long total, long anonymous) {

    /** The resident memory of {@code pid}; empty when the process is gone or the system has no {@code /proc}. */
    public static Optional<ResidentMemory> of(long pid) {
        try {
            OptionalLong total = OptionalLong.empty();
            OptionalLong anonymous = OptionalLong.empty();
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    total = OptionalLong.of(kilobytes(line));
                } else if (line.startsWith("RssAnon:")) {
                    anonymous = OptionalLong.of(kilobytes(line));
                }
            }
            return total.isPresent() && anonymous.isPresent()
                    ? Optional.of(new ResidentMemory(total.getAsLong(), anonymous.getAsLong())) : Optional.empty();
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException gone) {
            return Optional.empty();
        }
    }

    /** E.g. {@code "VmRSS:	  123456 kB"}, in bytes. */
    private static long kilobytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
    }
}
