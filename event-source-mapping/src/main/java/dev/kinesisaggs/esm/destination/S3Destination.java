package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes each failure record as one S3 object, as Lambda does for an S3 on-failure destination of a Kinesis event
 * source mapping. The Lambda Developer Guide, "Retain discarded batch records for a Kinesis Data Streams event source in
 * Lambda" (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html), says that each record is
 * a JSON document of metadata about the failed invocation and that "for Amazon S3 destinations, Lambda also sends the
 * entire invocation record along with the metadata"; the destination is the bucket's ARN, and Lambda needs
 * {@code s3:PutObject} and {@code s3:ListBucket} on it. The object's name, {@code
 * aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>}, is that page's naming convention as
 * LocalStack's {@code stream_poller.py} quotes it (we could not read that sentence of the page itself).
 *
 * <p>Where the guide is silent we follow LocalStack's implementation, whose test of this destination was recorded
 * against AWS ({@code test_kinesis_event_source_mapping_with_s3_on_failure_destination}, January 2025): the object is
 * the SQS record with one more field, {@code payload}, the event the function was sent ({@code {"Records":[...]}}); the
 * key's date and time are the record's {@code timestamp}, in UTC; the random part is a UUID; no content type is set.
 * Neither says which event {@code payload} holds when a batch was tried more than once, bisected, part of a tumbling
 * window, or never sent (records too old before their first invocation, a record over 6 MB): see
 * {@link FailurePayloads}.
 */
public final class S3Destination implements FailureDestination {

    private static final Logger LOG = LoggerFactory.getLogger(S3Destination.class);
    /** {@code arn:PARTITION:s3:::BUCKET}: a bucket ARN has neither region nor account. */
    private static final Pattern BUCKET_ARN = Pattern.compile("arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH.mm.ss").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final Supplier<String> mappingUuid;
    private final Supplier<UUID> randomUuids;
    private final FailurePayloads payloads;
    private final boolean closesClient;
    private volatile String uuid;

    S3Destination(S3Client s3, String bucket, Supplier<String> mappingUuid, Supplier<UUID> randomUuids,
                  FailurePayloads payloads, boolean closesClient) {
        this.s3 = s3;
        this.bucket = bucket;
        this.mappingUuid = mappingUuid;
        this.randomUuids = randomUuids;
        this.payloads = payloads;
        this.closesClient = closesClient;
    }

    /** True for what AWS takes as an S3 destination: a bucket ARN. */
    public static boolean isBucketArn(String destination) {
        return destination.startsWith("arn:") && destination.split(":", 4).length == 4 && destination.split(":")[2].equals("s3");
    }

    /**
     * The bucket named by {@code bucketArn}, checked now (HeadBucket), because a failure record that cannot be written
     * is lost; a role allowed only what Lambda needs ({@code s3:PutObject}, {@code s3:ListBucket}) may be refused
     * HeadBucket's 403 on some buckets, which is logged and accepted.
     *
     * @param mappingUuid      the mapping's UUID, the key's {@code <ESM-UUID>}; asked for at the first failure
     * @param lanesPerShard    how many invocations of one shard may be in flight at once (ParallelizationFactor)
     * @throws IllegalStateException with one sentence saying what to do, when the ARN is malformed, the bucket does
     *                               not exist or S3 cannot be reached
     */
    public static S3Destination forBucket(S3Client s3, String bucketArn, Supplier<String> mappingUuid, int lanesPerShard) {
        return forBucket(s3, bucketArn, mappingUuid, lanesPerShard, false);
    }

    /** As {@link #forBucket(S3Client, String, Supplier, int)}, for a client made for this destination alone: closed with it, or at once if this throws. */
    public static S3Destination forBucketClosingClient(S3Client s3, String bucketArn, Supplier<String> mappingUuid, int lanesPerShard) {
        try {
            return forBucket(s3, bucketArn, mappingUuid, lanesPerShard, true);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    private static S3Destination forBucket(S3Client s3, String bucketArn, Supplier<String> mappingUuid, int lanesPerShard,
                                           boolean closesClient) {
        Matcher m = BUCKET_ARN.matcher(bucketArn);
        if (!m.matches()) {
            throw new IllegalStateException("The on-failure destination " + bucketArn
                    + " is not an S3 bucket ARN: write it as arn:aws:s3:::BUCKET.");
        }
        String bucket = m.group(1);
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw new IllegalStateException("The S3 bucket " + bucket + " (the on-failure destination) does not exist at "
                    + endpoint(s3) + ": create it, or check the bucket ARN and the S3 endpoint.", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new IllegalStateException("The S3 bucket " + bucket + " (the on-failure destination) does not exist at "
                        + endpoint(s3) + ": create it, or check the bucket ARN and the S3 endpoint.", e);
            }
            if (e.statusCode() != 403) {
                throw new IllegalStateException("S3 refused the on-failure destination " + bucketArn + " (" + e.getMessage()
                        + "): check the bucket ARN and your permissions on it.", e);
            }
            LOG.atWarn().log(() -> "Cannot check that the S3 bucket " + bucket + " (the on-failure destination) exists: HeadBucket"
                    + " was refused; failure records will be written to it all the same");
        } catch (SdkClientException e) {
            throw new IllegalStateException("Cannot reach S3 at " + endpoint(s3) + " to check the on-failure destination "
                    + bucketArn + " (" + e.getMessage() + "): check the S3 endpoint (AWS_ENDPOINT_URL_S3), AWS_REGION and your credentials.", e);
        }
        return new S3Destination(s3, bucket, mappingUuid, UUID::randomUUID, new FailurePayloads(lanesPerShard + 1), closesClient);
    }

    /**
     * A client from the SDK's own configuration, with the URL-connection HTTP client. When that configuration names an
     * S3 endpoint ({@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}, or their system properties), the client is
     * made {@link #forLocalEndpoint fit for an emulator}.
     */
    public static S3Client defaultClient() {
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        boolean endpointConfigured = configured("AWS_ENDPOINT_URL_S3", "aws.endpointUrlS3")
                || configured("AWS_ENDPOINT_URL", "aws.endpointUrl");
        return (endpointConfigured ? forLocalEndpoint(builder) : builder).build();
    }

    /**
     * What an S3 emulator on a local endpoint needs: path-style addressing ({@code http://host:port/bucket/key}, since
     * {@code bucket.127.0.0.1} resolves nowhere), and each request body sent whole. Over plain HTTP the SDK otherwise
     * sends an upload as {@code aws-chunked} (signed chunks with the CRC32 checksum it adds by default since 2.30 in a
     * trailer), which s3rver 3.7.1 does not decode: it stored the chunk framing as the object's content. With chunked
     * encoding off, the body goes whole, signed by its SHA-256, and the CRC32 as a header s3rver ignores, so the
     * SDK's checksum defaults can stay (checked: PutObject, GetObject and ListObjectsV2).
     */
    public static S3ClientBuilder forLocalEndpoint(S3ClientBuilder builder) {
        return builder.forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
    }

    private static boolean configured(String variable, String property) {
        String v = System.getProperty(property, System.getenv(variable));
        return v != null && !v.isBlank();
    }

    private static String endpoint(S3Client s3) {
        return s3.serviceClientConfiguration().endpointOverride().map(Object::toString)
                .orElse("AWS (" + s3.serviceClientConfiguration().region() + ")");
    }

    /**
     * The object's key: {@code aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>}, the date
     * and time in UTC.
     */
    public static String objectKey(String mappingUuid, String shardId, Instant timestamp, UUID random) {
        return "aws/lambda/" + mappingUuid + "/" + shardId + "/" + DAY.format(timestamp) + "/" + SECOND.format(timestamp) + "-" + random;
    }

    /** The object's content: the failure record and, when the event is known, {@code payload}. */
    ObjectNode objectFor(ObjectNode failureRecord) {
        ObjectNode object = failureRecord.deepCopy();
        payloads.payloadFor(failureRecord).ifPresent(p -> object.set("payload", p));
        return object;
    }

    @Override
    public void invoked(String shardId, String requestId, String eventJson) {
        payloads.invoked(shardId, requestId, eventJson);
    }

    @Override
    public void deliver(ObjectNode failureRecord) {
        JsonNode info = failureRecord.path("KinesisBatchInfo");
        if (uuid == null) {
            uuid = mappingUuid.get();
        }
        String key = objectKey(uuid, info.path("shardId").asText(),
                Instant.parse(failureRecord.path("timestamp").asText()), randomUuids.get());
        ObjectNode object = objectFor(failureRecord);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(EventJson.write(object)));
    }

    /** The bucket the objects go to. */
    public String bucket() {
        return bucket;
    }

    @Override
    public String describe() {
        return "S3 bucket " + bucket;
    }

    @Override
    public void close() {
        if (closesClient) {
            s3.close();
        }
    }
}
