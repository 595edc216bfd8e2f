package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class PersistenceIT {

    @ParameterizedTest
    @EnumSource(KinesisEmulator.class)
    void dataInADataDirectorySurvivesARestart(KinesisEmulator emulator, @TempDir Path data) {
        LocalAwsOptions options = LocalAwsOptions.defaults().withDataDirectory(data).withKinesisEmulator(emulator);
        try (LocalAws aws = LocalAws.start(options)) {
            LocalAwsIT.roundTripThroughKinesis(aws.kinesis(), "kept", "still here");
            LocalAwsIT.createTable(aws.dynamoDb(), "kept");
            aws.dynamoDb().putItem(b -> b.tableName("kept").item(Map.of("id", AttributeValue.fromS("k1"))));
        }
        try (LocalAws aws = LocalAws.start(options)) {
            assertThat(aws.kinesis().listStreams().streamNames()).contains("kept");
            assertThat(LocalAwsIT.firstRecord(aws.kinesis(), "kept")).isEqualTo("still here");
            assertThat(aws.dynamoDb().getItem(b -> b.tableName("kept").key(Map.of("id", AttributeValue.fromS("k1"))))
                    .item()).containsEntry("id", AttributeValue.fromS("k1"));
        }
    }

    @Test
    void aDataDirectoryInUseIsRefusedInOneSentenceUntilItsRunEndsHoweverItEnds(@TempDir Path data) throws Exception {
        LocalAwsOptions options = LocalAwsOptions.defaults().withDataDirectory(data);
        String inUse = "The data directory " + data.toAbsolutePath() + " is in use by another run of the emulators (a local or"
                + " a demo that is still running): stop that one first, or give this one another data directory.";
        try (LocalAws first = LocalAws.start(options)) {
            assertThatThrownBy(() -> LocalAws.start(options)).isInstanceOf(LocalAwsException.class).hasMessage(inUse);
            assertThat(first.dynamoDb().listTables().tableNames()).as("the first run goes on").isEmpty();
        }
        // another process, killed with SIGKILL: the system releases its lock
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HoldDataDirectoryMain.class.getName(), data.toString()).start();
        try {
            assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> LocalAws.start(options)).isInstanceOf(LocalAwsException.class).hasMessage(inUse);
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
        try (LocalAws again = LocalAws.start(options)) {
            assertThat(again.dynamoDb().listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void withoutADataDirectoryNothingIsKept() {
        try (LocalAws aws = LocalAws.start()) {
            LocalAwsIT.createTable(aws.dynamoDb(), "gone");
        }
        try (LocalAws aws = LocalAws.start()) {
            assertThat(aws.dynamoDb().listTables().tableNames()).doesNotContain("gone");
        }
    }
}
