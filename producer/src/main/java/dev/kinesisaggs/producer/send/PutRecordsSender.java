package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.retry.Sleeper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Sends one batch with PutRecords and retries only its failed entries.
 *
 * <p>A PutRecords call succeeds as a whole while some of its entries fail; only entries that failed with
 * {@code ProvisionedThroughputExceededException} or {@code InternalFailure} are sent again, in their original
 * order, after the {@link PutRetries#backoff() back-off}. Entries that fail otherwise (e.g. a KMS error), or still
 * fail after the last attempt, are counted as failures and dropped. {@link #send} returns only when every entry of the batch has
 * succeeded or been given up on, so a batch's retries are over before the next batch goes.
 *
 * <p>Order: records of one shard that succeed at the first attempt keep their order. A retried record lands after
 * the records of its batch that succeeded before it, never after a record of a later batch. Errors of the whole
 * call (network, 5xx, throttling of the call) are retried by the SDK's own retry strategy; such a retry may
 * write a record twice if the first attempt did reach Kinesis, as with any Kinesis producer.
 */
public final class PutRecordsSender {

    private static final Set<String> RETRYABLE = Set.of("ProvisionedThroughputExceededException", "InternalFailure");

    private final KinesisClient kinesis;
    private final String streamName;
    private final PutRetries retries;
    private final Sleeper sleeper;
    private final RandomGenerator jitter;
    private final SendCounters counters;

    public PutRecordsSender(KinesisClient kinesis, String streamName, PutRetries retries, Sleeper sleeper,
            RandomGenerator jitter, SendCounters counters) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.streamName = Objects.requireNonNull(streamName, "streamName");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * Sends the batch (at most 500 records and 5 MiB, see {@link PutRecordsBatch}).
     *
     * @throws InterruptedException when interrupted while backing off; the entries not yet sent are then counted as failed
     */
    public void send(List<PutRecordEntry> batch) throws InterruptedException {
        List<PutRecordEntry> pending = batch;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                counters.retried(pending.size());
                int retry = attempt - 1; // attempt 2 is the first retry
                try {
                    sleeper.sleep(retries.backoff().delayBeforeRetry(retry, jitter));
                } catch (InterruptedException e) {
                    pending.forEach(counters::gaveUp);
                    throw e;
                }
            }
            pending = putOnce(pending, attempt == retries.maxAttempts());
        }
    }

    /** One PutRecords call; returns the entries to retry. */
    private List<PutRecordEntry> putOnce(List<PutRecordEntry> records, boolean lastAttempt) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
        for (PutRecordEntry record : records) {
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(record.partitionKey())
                    .explicitHashKey(record.explicitHashKey())
                    .data(SdkBytes.fromByteArrayUnsafe(record.data()))
                    .build());
        }
        counters.request();
        PutRecordsResponse response = kinesis.putRecords(PutRecordsRequest.builder()
                .streamName(streamName)
                .records(entries)
                .build());
        List<PutRecordsResultEntry> results = response.records();
        if (results.size() != records.size()) {
            throw new IllegalStateException("PutRecords answered " + results.size() + " results for " + records.size() + " entries");
        }
        List<PutRecordEntry> retry = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            PutRecordsResultEntry result = results.get(i);
            PutRecordEntry record = records.get(i);
            if (result.errorCode() == null) {
                counters.sent(record);
            } else {
                counters.entryFailed(result.errorCode());
                if (RETRYABLE.contains(result.errorCode()) && !lastAttempt) {
                    retry.add(record);
                } else {
                    counters.gaveUp(record);
                }
            }
        }
        return retry;
    }
}
