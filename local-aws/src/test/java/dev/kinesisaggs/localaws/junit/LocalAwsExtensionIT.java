package dev.kinesisaggs.localaws.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.localaws.LocalAws;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

@ExtendWith(LocalAwsExtension.class)
class LocalAwsExtensionIT {
    private static final AtomicReference<LocalAws> FIRST_SEEN = new AtomicReference<>();

    private final LocalAws aws;

    LocalAwsExtensionIT(LocalAws aws) {
        this.aws = aws;
        FIRST_SEEN.compareAndSet(null, aws);
    }

    @Test
    void injectsClientsPointedAtTheRunningEmulators(KinesisClient kinesis, DynamoDbClient dynamoDb) {
        kinesis.createStream(b -> b.streamName("extension").shardCount(1));
        assertThat(aws.kinesis().listStreams().streamNames()).contains("extension");
        assertThat(dynamoDb.listTables().tableNames()).isNotNull();
        assertThat(dynamoDb.serviceClientConfiguration().endpointOverride()).contains(aws.dynamoDbEndpoint());
    }

    @Test
    void everyTestGetsTheSameEmulators(LocalAws again) {
        assertThat(again).isSameAs(aws).isSameAs(FIRST_SEEN.get());
    }

    @Nested
    class InANestedClass {
        @Test
        void theEmulatorsAreStillTheSame(LocalAws nested) {
            assertThat(nested).isSameAs(FIRST_SEEN.get());
        }
    }
}
