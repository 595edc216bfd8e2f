package dev.kinesisaggs.app.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The demo's function log, a file in the temporary directory that outlives the demo (it is there to be read after a
 * run). So that they do not pile up (a demo at 1,000 trips/s writes megabytes), a new one deletes the logs of earlier
 * demos beyond the newest {@link #KEPT}, but never one written to lately, which may be another running demo's.
 */
public final class DemoFunctionLogs {
    static final String PREFIX = "kinesis-aggs-demo-function-";
    public static final int KEPT = 3;
    /** A running demo writes its log every second or so; one quiet this long is not being written. */
    static final Duration IN_USE = Duration.ofMinutes(10);

    private DemoFunctionLogs() {
    }

    /** A new, empty function log, after deleting old ones. */
    public static Path create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")), Instant.now());
    }

    static Path create(Path temporary, Instant now) throws IOException {
        deleteOld(temporary, now);
        return Files.createTempFile(temporary, PREFIX, ".log");
    }

    private static void deleteOld(Path temporary, Instant now) {
        try (Stream<Path> files = Files.list(temporary)) {
            // each time read once: a log being written while they are sorted must not change its place mid-sort
            Map<Path, FileTime> logs = files.filter(p -> p.getFileName().toString().startsWith(PREFIX) && p.toString().endsWith(".log"))
                    .collect(Collectors.toMap(p -> p, DemoFunctionLogs::modified));
            logs.entrySet().stream().sorted(Map.Entry.<Path, FileTime>comparingByValue().reversed()).skip(KEPT)
                    .filter(e -> e.getValue().toInstant().isBefore(now.minus(IN_USE)))
                    .forEach(e -> delete(e.getKey()));
        } catch (IOException | UncheckedIOException ignored) {
            // old logs stay until the next demo; they do not hinder this one
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // another demo's clean-up, or not ours to delete: left as it is
        }
    }
}
