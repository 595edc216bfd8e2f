package dev.kinesisaggs.function.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationLogTest {

    private static final Instant NOW = Instant.parse("2020-12-09T07:04:40Z");

    private static KinesisRecordIn record(String sequenceNumber) {
        return new KinesisRecordIn(sequenceNumber, "pk", NOW, new byte[0]);
    }

    private static String failureLine(ShardBatch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new InvocationLog(new PrintStream(out, true, StandardCharsets.UTF_8), "f")
                .failure(batch, new IllegalStateException("boom"), NOW, Duration.ofMillis(5));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLineNamesTheFirstAndLastSequenceNumberItCarried() {
        String line = failureLine(new ShardBatch("shardId-000000000001", "2020-12-09T07:04:30Z", "2020-12-09T07:05:00Z",
                Map.of(), false, false, List.of(record("10"), record("11"), record("12"))));

        assertThat(line).contains("\"shardId\":\"shardId-000000000001\"")
                .contains("\"firstSequenceNumber\":\"10\"").contains("\"lastSequenceNumber\":\"12\"")
                .contains("\"RecordsIn\":3").contains("\"error\":\"IllegalStateException: boom\"");
    }

    @Test
    void aFinalInvokeWithoutRecordsNamesNoSequenceNumber() {
        String line = failureLine(new ShardBatch("shardId-000000000001", "2020-12-09T07:04:30Z", "2020-12-09T07:05:00Z",
                Map.of(), true, false, List.of()));

        assertThat(line).contains("\"finalInvoke\":true").doesNotContain("SequenceNumber");
    }
}
