package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;

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
    void withoutADataDirectoryNothingIsKept() {
        try (LocalAws aws = LocalAws.start()) {
            LocalAwsIT.createTable(aws.dynamoDb(), "gone");
        }
        try (LocalAws aws = LocalAws.start()) {
            assertThat(aws.dynamoDb().listTables().tableNames()).doesNotContain("gone");
        }
    }
}
