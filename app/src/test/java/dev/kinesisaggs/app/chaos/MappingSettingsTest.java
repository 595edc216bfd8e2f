package dev.kinesisaggs.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.pipeline.FunctionOptions;
import dev.kinesisaggs.function.tables.TableNames;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the chaos run writes for its mapping's process is what that process reads, the function's options included. */
class MappingSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theMappingsProcessReadsExactlyWhatTheRunWrote() {
        // options as a user may give them: a path with a blank, a variable whose value holds a newline and an equals sign
        List<String> options = List.of("--function-jar", dir.resolve("my function.jar").toString(), "--handler", "com.example.H::handle",
                "--memory-size", "1024", "--environment", "GREETING=hello\nworld=1", "--environment", "EMPTY=");
        MappingSettings written = new MappingSettings("chaos", URI.create("http://127.0.0.1:4567"), false,
                URI.create("http://127.0.0.1:8000"), URI.create("http://127.0.0.1:9000"), new TableNames("a", "t", "r"), 200, 1, 2, 2,
                Optional.of(dir.resolve("on-failure.jsonl")), Duration.ofSeconds(4), FunctionOptions.parse(options).arguments(),
                Optional.of(dir.resolve("function.log")));
        Path file = dir.resolve("mapping.properties");
        written.write(file);

        MappingSettings read = MappingSettings.read(file);

        assertThat(read).isEqualTo(written);
        assertThat(FunctionOptions.parse(read.functionArguments()).arguments()).isEqualTo(written.functionArguments())
                .contains("GREETING=hello\nworld=1", "EMPTY=", "1024");
        assertThat(read.config().batchSize()).isEqualTo(200);
        assertThat(read.config().maximumRetryAttempts()).isEqualTo(2);
    }

    @Test
    void withoutADestinationOrALogNeitherIsInvented() {
        MappingSettings written = new MappingSettings("s", URI.create("http://127.0.0.1:1"), true, URI.create("http://127.0.0.1:2"),
                URI.create("http://127.0.0.1:3"), new TableNames("a", "t", "r"), 7, 0, 2, -1, Optional.empty(), Duration.ofSeconds(20),
                FunctionOptions.parse(List.of("--in-process")).arguments(), Optional.empty());
        Path file = dir.resolve("m.properties");
        written.write(file);

        assertThat(MappingSettings.read(file)).isEqualTo(written);
        assertThat(written.functionArguments()).contains("--in-process", "--memory-size", Integer.toString(FunctionOptions.DEFAULT_MEMORY_MB));
    }
}
