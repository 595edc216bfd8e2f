package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** s3rver, started only when asked for, answers the SDK's own S3 client with its default checksums. */
class S3EmulatorIT {

    @Test
    void noS3EmulatorUnlessAskedFor() {
        try (LocalAws aws = LocalAws.start()) {
            assertThat(aws.s3Endpoint()).isEmpty();
            assertThat(aws.pids()).hasSize(2);
            assertThat(aws.environment()).doesNotContainKey("AWS_ENDPOINT_URL_S3");
            assertThatThrownBy(() -> aws.clients().newS3Client())
                    .isInstanceOf(LocalAwsException.class)
                    .hasMessage("No S3 emulator was started: start LocalAws with LocalAwsOptions.withS3().");
        }
    }

    @Test
    void objectsPutAreListedAndReadBackByteForByteAndTheEmulatorIsGoneAfterClose() {
        Collection<Long> pids;
        int port;
        try (LocalAws aws = LocalAws.start(LocalAwsOptions.defaults().withS3());
             S3Client s3 = aws.clients().newS3Client()) {
            port = aws.s3Endpoint().orElseThrow().getPort();
            pids = aws.pids().values();
            assertThat(aws.s3Endpoint().orElseThrow().getHost()).isEqualTo("127.0.0.1");
            assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().orElseThrow().toString());
            s3.createBucket(b -> b.bucket("failures"));
            String key = "aws/lambda/0a1b/shardId-000000000000/2026/12/03/2026-12-03T10.00.00-" + java.util.UUID.randomUUID();
            String body = "{\"payload\":{\"Records\":[]},\"text\":\"é ü ✓\"}";

            s3.putObject(b -> b.bucket("failures").key(key), RequestBody.fromString(body));

            assertThat(s3.listObjectsV2(b -> b.bucket("failures").prefix("aws/lambda/0a1b/")).contents())
                    .extracting(S3Object::key).containsExactly(key);
            // the chunk framing of an aws-chunked upload would show here: the client must send bodies whole
            assertThat(s3.getObjectAsBytes(b -> b.bucket("failures").key(key)).asUtf8String()).isEqualTo(body);
            assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("missing"))).isInstanceOf(NoSuchBucketException.class);
        }
        assertThat(pids).hasSize(3).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(LoopbackPorts.isFree(port)).isTrue();
    }
}
