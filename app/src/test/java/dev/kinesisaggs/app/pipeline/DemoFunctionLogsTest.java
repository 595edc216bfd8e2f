package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoFunctionLogsTest {

    @TempDir
    Path temporary;

    private Path log(String name, Instant modified) throws IOException {
        Path file = Files.writeString(temporary.resolve(DemoFunctionLogs.PREFIX + name + ".log"), "START RequestId: ...");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void aNewLogDeletesTheLogsOfEarlierDemosBeyondTheLatestThreeButNoneWrittenToLately() throws IOException {
        Instant now = Instant.parse("2026-12-03T20:00:00Z");
        Path running = log("running", now.minusSeconds(5)); // another demo, still writing
        Path quietButRecent = log("quiet", now.minus(Duration.ofMinutes(5)));
        Path third = log("third", now.minus(Duration.ofMinutes(7)));
        Path anotherRunning = log("another", now.minus(Duration.ofMinutes(9))); // fourth newest, yet in use
        Path yesterday = log("yesterday", now.minus(Duration.ofDays(1)));
        Path lastWeek = log("last-week", now.minus(Duration.ofDays(7)));
        Path lastMonth = log("last-month", now.minus(Duration.ofDays(30)));
        Path other = Files.writeString(temporary.resolve("kinesis-aggs-demo-data.log"), "not a function log");

        Path created = DemoFunctionLogs.create(temporary, now);

        assertThat(created.getFileName().toString()).startsWith(DemoFunctionLogs.PREFIX).endsWith(".log");
        try (Stream<Path> left = Files.list(temporary)) {
            assertThat(left.toList()).containsExactlyInAnyOrderElementsOf(List.of(created, running, quietButRecent, third, anotherRunning, other));
        }
        assertThat(yesterday).as("fourth newest and quiet for a day").doesNotExist();
        assertThat(lastWeek).doesNotExist();
        assertThat(lastMonth).doesNotExist();
    }
}
