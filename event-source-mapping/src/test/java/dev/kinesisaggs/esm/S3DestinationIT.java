package dev.kinesisaggs.esm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.invocation.EventJson;
import dev.kinesisaggs.esm.processor.InvocationListener;
import dev.kinesisaggs.esm.redrive.FailureRecordSource;
import dev.kinesisaggs.esm.retrieval.InMemoryStream;
import dev.kinesisaggs.esm.retrieval.StreamRecord;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The S3 on-failure destination through the mapping, against s3rver (local-aws's S3 emulator) spoken to by the SDK's
 * own S3 client: a batch given up arrives as one object, under AWS's key layout, holding the SQS record and the event
 * the function was sent.
 */
class S3DestinationIT {

    private static final String ACCOUNT = "123456789012";
    private static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/trips";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f";
    private static LocalAws aws;
    private static S3Client s3;
    private final Clock clock = Clock.systemUTC();

    @BeforeAll
    static void startS3() {
        aws = LocalAws.start(LocalAwsOptions.defaults().withS3());
        s3 = aws.clients().newS3Client();
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    private static String newBucket() {
        String bucket = "esm-failures-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static EventSourceMappingConfig failFast(String destination) {
        return EventSourceMappingConfig.builder().mappingId("trips-to-f").functionArn(FUNCTION_ARN)
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .pollInterval(Duration.ofMillis(20)).retryBackoffInitial(Duration.ofMillis(20)).retryBackoffMax(Duration.ofMillis(40))
                .maximumRetryAttempts(2).onFailureDestination(destination).build();
    }

    @Test
    void aBatchGivenUpIsOneObjectUnderAwsKeyLayoutWithTheRecordAndTheEventTheFunctionWasSent() throws Exception {
        String bucket = newBucket();
        InMemoryStream stream = new InMemoryStream(STREAM_ARN, 1, clock);
        String shard = stream.shardIds().get(0);
        List<StreamRecord> appended = new ArrayList<>();
        List<InvocationListener.Invocation> invocations = new CopyOnWriteArrayList<>();
        Instant before = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String mappingUuid;

        try (EventSourceMapping esm = EventSourceMapping.builder().config(failFast("arn:aws:s3:::" + bucket)).source(stream)
                .s3Client(s3).kinesisHandler(TestHandlers.throwingOn(s -> true)).listener(invocations::add).build()) {
            mappingUuid = esm.identity().uuid();
            Instant t = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            appended.add(stream.append(shard, "k", "x".getBytes(StandardCharsets.UTF_8), t.minusMillis(250)));
            appended.add(stream.append(shard, "k", "y".getBytes(StandardCharsets.UTF_8), t));
            esm.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> esm.status().shards().size() == 1
                    && esm.status().shards().get(0).recordsDiscarded() == 2);
        }

        // one object per discarded batch
        List<S3Object> objects = s3.listObjectsV2(b -> b.bucket(bucket)).contents();
        assertThat(objects).hasSize(1);
        String key = objects.get(0).key();
        JsonNode object = EventJson.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());

        // aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>, the time the record's
        Instant timestamp = Instant.parse(object.get("timestamp").asText());
        assertThat(timestamp).isBetween(before, clock.instant());
        assertThat(key).isEqualTo("aws/lambda/" + mappingUuid + "/" + shard + "/"
                + DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC).format(timestamp) + "/"
                + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH.mm.ss").withZone(ZoneOffset.UTC).format(timestamp) + "-"
                + key.substring(key.length() - 36));
        assertThat(UUID.fromString(key.substring(key.length() - 36))).isNotNull();

        // the SQS record's fields, then payload
        assertThat(object.fieldNames()).toIterable()
                .containsExactly("requestContext", "responseContext", "version", "timestamp", "KinesisBatchInfo", "payload");
        JsonNode request = object.get("requestContext");
        assertThat(invocations).hasSize(3);
        assertThat(request.get("requestId").asText()).isEqualTo(invocations.get(2).result().requestId());
        assertThat(request.get("functionArn").asText()).isEqualTo(FUNCTION_ARN);
        assertThat(request.get("condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(request.get("approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(object.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
        JsonNode info = object.get("KinesisBatchInfo");
        assertThat(info.get("shardId").asText()).isEqualTo(shard);
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(appended.get(0).sequenceNumber());
        assertThat(info.get("endSequenceNumber").asText()).isEqualTo(appended.get(1).sequenceNumber());
        assertThat(info.get("batchSize").asInt()).isEqualTo(2);
        assertThat(info.get("streamArn").asText()).isEqualTo(STREAM_ARN);

        // the payload is the event the function received, as it received it
        JsonNode sent = EventJson.mapper().readTree(invocations.get(2).eventJson());
        assertThat(object.get("payload")).isEqualTo(sent);
        assertThat(object.get("payload").get("Records")).hasSize(2);

        // and redrive reads it back as it reads the SQS and JSON-lines ones
        List<FailureRecordSource.Pending> read = FailureRecordSource.bucket(s3, bucket, "aws/lambda/" + mappingUuid + "/").read();
        assertThat(read).singleElement().satisfies(p -> {
            assertThat(p.origin()).isEqualTo("s3://" + bucket + "/" + key);
            assertThat(p.record().shardId()).isEqualTo(shard);
            assertThat(p.record().batchSize()).isEqualTo(2);
            assertThat(p.record().condition()).isEqualTo("RetryAttemptsExhausted");
        });
        assertThat(FailureRecordSource.bucket(s3, bucket, "aws/lambda/another-mapping/").read()).isEmpty();
    }

    @Test
    void aMissingBucketOrAMalformedArnIsRefusedInOneSentence() {
        InMemoryStream stream = new InMemoryStream(STREAM_ARN, 1, clock);

        assertThatThrownBy(() -> EventSourceMapping.builder().config(failFast("arn:aws:s3:::no-such-bucket")).source(stream)
                .s3Client(s3).kinesisHandler(TestHandlers.accepting()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The S3 bucket no-such-bucket (the on-failure destination) does not exist at "
                        + aws.s3Endpoint().orElseThrow() + ": create it, or check the bucket ARN and the S3 endpoint.");
        assertThatThrownBy(() -> EventSourceMapping.builder().config(failFast("arn:aws:s3:us-east-1:" + ACCOUNT + ":Bad_Bucket"))
                .source(stream).s3Client(s3).kinesisHandler(TestHandlers.accepting()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The on-failure destination arn:aws:s3:us-east-1:" + ACCOUNT
                        + ":Bad_Bucket is not an S3 bucket ARN: write it as arn:aws:s3:::BUCKET.");
    }
}
