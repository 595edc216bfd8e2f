package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a log file, joined into one line for an error sentence. */
final class LogTail {
    private LogTail() {}

    static String of(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "no log";
            }
            byte[] bytes = Files.readAllBytes(log);
            int from = Math.max(0, bytes.length - 8192);
            List<String> all = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
            String tail = String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
            return tail.isEmpty() ? "the log is empty" : tail;
        } catch (IOException e) {
            return "log unreadable: " + e.getMessage();
        }
    }
}
