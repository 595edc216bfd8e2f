package dev.kinesisaggs.esm.retrieval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/**
 * Reads a real Kinesis stream (or an emulator) with the shared-throughput API, as a standard
 * Lambda event source mapping does: {@code ListShards}, {@code GetShardIterator},
 * {@code GetRecords}. The processor polls once a second per shard and loops while behind.
 */
public final class KinesisStreamSource implements StreamSource {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisStreamSource.class);

    private final KinesisClient kinesis;
    private final String streamName;
    private final Clock clock;
    private volatile StreamDescriptionSummary summary;

    public KinesisStreamSource(KinesisClient kinesis, String streamName) {
        this(kinesis, streamName, Clock.systemUTC());
    }

    /** @param clock tells when a LATEST iterator was taken, to start there again if it expires before a record is read */
    public KinesisStreamSource(KinesisClient kinesis, String streamName, Clock clock) {
        this.kinesis = kinesis;
        this.streamName = streamName;
        this.clock = clock;
    }

    /** The retention period the stream reports; empty when it cannot be read now (asked again next time). */
    @Override
    public Optional<Duration> retention() {
        try {
            return Optional.ofNullable(summary().retentionPeriodHours()).map(Duration::ofHours);
        } catch (SdkException e) {
            LOG.warn("Cannot read the retention period of {} ({}): records are retried without it for now", streamName, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String streamArn() {
        try {
            return summary().streamARN();
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("The stream " + streamName + " does not exist at " + endpoint()
                    + ": create it, or check the stream name and the Kinesis endpoint.", e);
        }
    }

    /** One DescribeStreamSummary for the stream's ARN and its retention, made once it answers. */
    private StreamDescriptionSummary summary() {
        if (summary == null) {
            summary = kinesis.describeStreamSummary(b -> b.streamName(streamName)).streamDescriptionSummary();
        }
        return summary;
    }

    private String endpoint() {
        return kinesis.serviceClientConfiguration().endpointOverride().map(Object::toString).orElse("AWS (" + kinesis.serviceClientConfiguration().region() + ")");
    }

    @Override
    public List<ShardInfo> listShards() {
        List<ShardInfo> out = new ArrayList<>();
        String next = null;
        do {
            ListShardsRequest request = next == null
                    ? ListShardsRequest.builder().streamName(streamName).build()
                    : ListShardsRequest.builder().nextToken(next).build();
            ListShardsResponse response;
            try {
                response = kinesis.listShards(request);
            } catch (ResourceNotFoundException e) {
                // it existed when the mapping started (streamArn): deleted since
                throw new StreamGoneException("The stream " + streamName + " no longer exists at " + endpoint() + " (deleted while"
                        + " the event source mapping read it): nothing is left to read, so the mapping stopped; the checkpoints"
                        + " saved stay", e);
            }
            for (Shard s : response.shards()) {
                boolean closed = s.sequenceNumberRange() != null && s.sequenceNumberRange().endingSequenceNumber() != null;
                out.add(new ShardInfo(s.shardId(), Optional.ofNullable(s.parentShardId()),
                        Optional.ofNullable(s.adjacentParentShardId()), closed));
            }
            next = response.nextToken();
        } while (next != null);
        return out;
    }

    @Override
    public ShardReader openReader(String shardId, ShardPosition position) {
        Reader reader = new Reader(shardId, position);
        if (position instanceof ShardPosition.Latest) {
            // LATEST is where the shard's tip is when the mapping starts, as AWS's takes it at its creation, not at the
            // first poll; the other positions name their records whenever they are taken
            reader.iterator = reader.newIterator();
        }
        return reader;
    }

    private final class Reader implements ShardReader {
        private final String shardId;
        private final ShardPosition start;
        private String iterator;
        private String lastSequenceNumber;
        /** When the first LATEST iterator was taken: "the original position" of a LATEST reader. */
        private Instant latestTakenAt;
        /**
         * While reading from TRIM_HORIZON in place of an AT_TIMESTAMP that was not answered: records that arrived before
         * this are passed over, up to the first at or after it; null otherwise.
         */
        private Instant skipBefore;
        private boolean ended;

        Reader(String shardId, ShardPosition start) {
            this.shardId = shardId;
            this.start = start;
        }

        @Override
        public ReadResult read(int limit) {
            if (ended) {
                return new ReadResult(List.of(), 0, true);
            }
            if (iterator == null) {
                iterator = newIterator();
            }
            GetRecordsResponse response;
            try {
                response = kinesis.getRecords(b -> b.shardIterator(iterator).limit(limit));
            } catch (ExpiredIteratorException e) {
                // Iterators live 5 minutes; a shard blocked on retries (or a machine asleep) outlives them.
                // Resume after the last record read, or where this reader started when it has read nothing yet.
                LOG.atInfo().log(() -> shardId + " iterator expired; getting a new one"
                        + (lastSequenceNumber != null ? " after " + lastSequenceNumber : " at the reader's starting position"));
                iterator = newIterator();
                response = kinesis.getRecords(b -> b.shardIterator(iterator).limit(limit));
            } catch (ProvisionedThroughputExceededException e) {
                LOG.atDebug().log(() -> shardId + " read throughput exceeded; the next poll will try again");
                return ReadResult.throttledRead();
            }
            List<StreamRecord> records = new ArrayList<>(response.records().size());
            for (software.amazon.awssdk.services.kinesis.model.Record r : response.records()) {
                lastSequenceNumber = r.sequenceNumber(); // passed over or not: an expired iterator resumes after it
                if (skipBefore != null && r.approximateArrivalTimestamp().isBefore(skipBefore)) {
                    continue;
                }
                skipBefore = null; // the first at or after the timestamp: from here on, every record, as AT_TIMESTAMP reads
                records.add(new StreamRecord(shardId, r.sequenceNumber(), r.partitionKey(), r.data().asByteArray(),
                        r.approximateArrivalTimestamp()));
            }
            iterator = response.nextShardIterator();
            // A closed shard read to its end answers with no next iterator (and its child shards).
            ended = iterator == null;
            long behind = response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
            return new ReadResult(records, behind, ended);
        }

        private String newIterator() {
            GetShardIteratorRequest.Builder b = GetShardIteratorRequest.builder().streamName(streamName).shardId(shardId);
            if (lastSequenceNumber != null) {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(lastSequenceNumber);
            } else if (start instanceof ShardPosition.AfterSequenceNumber a) {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(a.sequenceNumber());
            } else if (start instanceof ShardPosition.AtSequenceNumber a) {
                b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(a.sequenceNumber());
            } else if (start instanceof ShardPosition.AtTimestamp t) {
                return atTimestamp(b, t.timestamp());
            } else if (start instanceof ShardPosition.Latest && latestTakenAt != null) {
                // A second LATEST would skip what arrived since the first: start again from (a margin before) when the first was taken.
                return atTimestamp(b, latestTakenAt.minus(ShardPosition.LATEST_CLOCK_MARGIN));
            } else if (start instanceof ShardPosition.Latest) {
                latestTakenAt = clock.instant();
                b.shardIteratorType(ShardIteratorType.LATEST);
            } else {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            }
            return kinesis.getShardIterator(b.build()).shardIterator();
        }

        /**
         * An AT_TIMESTAMP iterator, or, when Kinesis does not answer one within {@link #AT_TIMESTAMP_ANSWER}, TRIM_HORIZON
         * with the records before the timestamp passed over here: the same records either way. kinesalite, the default
         * local emulator, answers AT_TIMESTAMP only once a record is at or after the timestamp (AWS and kinesis-local at
         * once), so a quiet shard's reader would hang on it (found by a review: a LATEST mapping started again from the
         * start it saved, on a shard nothing was put on since).
         */
        private String atTimestamp(GetShardIteratorRequest.Builder b, Instant timestamp) {
            try {
                return kinesis.getShardIterator(b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(timestamp)
                        .overrideConfiguration(o -> o.apiCallTimeout(AT_TIMESTAMP_ANSWER)).build()).shardIterator();
            } catch (ApiCallTimeoutException unanswered) {
                LOG.atInfo().log(() -> shardId + ": no answer to AT_TIMESTAMP " + timestamp + " within " + AT_TIMESTAMP_ANSWER.toSeconds()
                        + " s; reading from TRIM_HORIZON and passing over the records that arrived before it");
                skipBefore = timestamp;
                return kinesis.getShardIterator(GetShardIteratorRequest.builder().streamName(streamName).shardId(shardId)
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON).build()).shardIterator();
            }
        }
    }

    /** How long an AT_TIMESTAMP iterator may take to be answered before it is read from TRIM_HORIZON instead. */
    static final Duration AT_TIMESTAMP_ANSWER = Duration.ofSeconds(3);
}
