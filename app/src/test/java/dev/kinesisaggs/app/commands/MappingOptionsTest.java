package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.FinalInvokeRecords;
import dev.kinesisaggs.esm.config.StartingPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class MappingOptionsTest {

    @Command(name = "test")
    static final class Holder {
        @Mixin
        MappingOptions mapping;
    }

    private static EventSourceMappingConfig parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.mapping.toConfig("test-mapping", MappingDefaults.LAB);
    }

    @Test
    void withoutOptionsTheLabsSettings() {
        EventSourceMappingConfig config = parse();

        assertThat(config.mappingId()).isEqualTo("test-mapping");
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThat(config.maximumBatchingWindowInSeconds()).isEqualTo(120);
        assertThat(config.startingPosition()).isEqualTo(StartingPosition.LATEST);
        assertThat(config.tumblingWindowInSeconds()).isEqualTo(30);
        assertThat(config.functionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.reportBatchItemFailures()).isTrue();
        assertThat(config.maximumRetryAttempts()).isEqualTo(-1);
        assertThat(config.maximumRecordAgeInSeconds()).isEqualTo(-1);
        assertThat(config.bisectBatchOnFunctionError()).isFalse();
        assertThat(config.parallelizationFactor()).isEqualTo(1);
        assertThat(config.onFailureDestination()).isEmpty();
        assertThat(config.windowIdleGrace()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void aDestinationFileThatCouldNotBeWrittenAtTheFirstFailureIsRefusedAtTheStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // found by a probe: a directory that did not exist was created, as root, at the first record given up
        assertThatThrownBy(() -> parse("--destination", dir.resolve("no-such-dir/f.jsonl").toString()))
                .hasMessage("--destination " + dir.resolve("no-such-dir/f.jsonl") + " is in no existing directory: create "
                        + dir.resolve("no-such-dir") + " first, or name a file in a directory that exists");
        assertThatThrownBy(() -> parse("--destination", dir.toString())).hasMessage("--destination " + dir + " is a directory: name a"
                + " JSON-lines file in it");
        assertThat(parse("--destination", dir.resolve("f.jsonl").toString()).onFailureDestination()).contains(dir.resolve("f.jsonl").toString());
        assertThat(parse("--destination", "arn:aws:sqs:us-east-1:123456789012:q").onFailureDestination()).contains("arn:aws:sqs:us-east-1:123456789012:q");
    }

    @Test
    void everySettingHasItsOption() {
        EventSourceMappingConfig config = parse("--batch-size", "200", "--batching-window", "5s",
                "--starting-position", "at_timestamp", "--starting-position-timestamp", "2026-01-01T12:00:00Z",
                "--window", "10s", "--max-retries", "3", "--max-record-age", "2m", "--bisect",
                "--no-report-batch-item-failures", "--destination", "failures.jsonl", "--function-timeout", "30s",
                "--idle-grace", "5s", "--final-invoke-records", "last_chunk", "--poll-interval", "250ms",
                "--retry-backoff", "2s", "--retry-backoff-max", "30s", "--no-unknown-item-identifier-fails-batch");

        assertThat(config.batchSize()).isEqualTo(200);
        assertThat(config.maximumBatchingWindowInSeconds()).isEqualTo(5);
        assertThat(config.startingPosition()).isEqualTo(StartingPosition.AT_TIMESTAMP);
        assertThat(config.startingPositionTimestamp()).contains(Instant.parse("2026-01-01T12:00:00Z"));
        assertThat(config.tumblingWindowInSeconds()).isEqualTo(10);
        assertThat(config.maximumRetryAttempts()).isEqualTo(3);
        assertThat(config.maximumRecordAgeInSeconds()).isEqualTo(120);
        assertThat(config.bisectBatchOnFunctionError()).isTrue();
        assertThat(config.reportBatchItemFailures()).isFalse();
        assertThat(config.onFailureDestination()).isEqualTo(Optional.of("failures.jsonl"));
        assertThat(config.functionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.windowIdleGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.finalInvokeRecords()).isEqualTo(FinalInvokeRecords.LAST_CHUNK);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.retryBackoffInitial()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.unknownItemIdentifierFailsWholeBatch()).isFalse();
    }

    @Test
    void parallelizationWithoutWindows() {
        assertThat(parse("--window", "0", "--parallelization-factor", "4").parallelizationFactor()).isEqualTo(4);
    }

    @Test
    void whatAwsRefusesIsRefusedInOneSentence() {
        assertThatThrownBy(() -> parse("--batch-size", "20000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--batch-size (BatchSize) must be between 1 and 10000, not 20000.");
        assertThatThrownBy(() -> parse("--parallelization-factor", "2"))
                .hasMessageStartingWith("--parallelization-factor (ParallelizationFactor) must be 1 when --window (TumblingWindowInSeconds) is set");
        assertThatThrownBy(() -> parse("--max-record-age", "30"))
                .hasMessageStartingWith("--max-record-age (MaximumRecordAgeInSeconds) must be -1 (never discard) or between 60 and 604800, not 30.");
        assertThatThrownBy(() -> parse("--starting-position", "EARLIEST"))
                .hasMessage("--starting-position must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, not 'EARLIEST'");
        assertThatThrownBy(() -> parse("--window", "1500ms"))
                .hasMessage("--window is counted in whole seconds, not 1500 ms");
    }

    @Test
    void filterCriteriaAsTheAwsCliTakesItInlineOrFromAFileAndARefusalInOneSentence(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        String json = "{\"Filters\":[{\"Pattern\":\"{\\\"data\\\":{\\\"vendorId\\\":[2]}}\"}]}";
        java.nio.file.Path file = dir.resolve("filter.json");
        java.nio.file.Files.writeString(file, json);

        assertThat(parse().filterCriteria().filters()).isFalse();
        assertThat(parse("--filter-criteria", json).filterCriteria().patterns()).containsExactly("{\"data\":{\"vendorId\":[2]}}");
        assertThat(parse("--filter", "file://" + file).filterCriteria()).isEqualTo(parse("--filter-criteria", json).filterCriteria());
        assertThatThrownBy(() -> parse("--filter-criteria", "{\"Filters\":[{\"Pattern\":\"not json\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("\n\tat ");
        assertThatThrownBy(() -> parse("--filter-criteria", "file://" + dir.resolve("missing.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
    }

    @Test
    void maxConcurrencyLimitsTheFunctionAsAReservedConcurrencyWouldAndANegativeOneIsRefused() {
        assertThat(parse().maxConcurrency()).isEmpty();
        assertThat(parse("--max-concurrency", "1").maxConcurrency()).contains(1);
        assertThatThrownBy(() -> parse("--max-concurrency", "-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
