package dev.kinesisaggs.producer;

import dev.kinesisaggs.core.kpl.KplFormat;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.trip.TripJson;
import dev.kinesisaggs.producer.source.LoopingTripSource;
import dev.kinesisaggs.producer.source.ShiftedToNowSource;
import dev.kinesisaggs.producer.source.SourceItem;
import dev.kinesisaggs.producer.source.TripSource;
import dev.kinesisaggs.producer.source.TripSourceOpener;
import dev.kinesisaggs.producer.send.BatchLimits;
import dev.kinesisaggs.producer.send.KplAggregatingPacker;
import dev.kinesisaggs.producer.send.OneRecordPerTrip;
import dev.kinesisaggs.producer.send.ShardMap;
import dev.kinesisaggs.producer.send.PutRecordsBatch;
import dev.kinesisaggs.producer.send.PutRecordsSender;
import dev.kinesisaggs.producer.send.RateLimiter;
import dev.kinesisaggs.producer.send.RecordEncoder;
import dev.kinesisaggs.producer.send.RecordPacker;
import dev.kinesisaggs.producer.send.PartitionKeys;
import dev.kinesisaggs.producer.send.RecordToSend;
import dev.kinesisaggs.producer.send.SendCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Sends the trips of a source to a Kinesis stream until the source ends, a limit is reached, or {@link #stop()} is
 * called: the facade behind the {@code produce} command.
 *
 * <p>One thread does everything, in order: take a trip (at the rate limit), encode it, pack it (KPL aggregation or
 * one record per trip), gather Kinesis records into a PutRecords batch, and send the batch when it is full, when a
 * trip has waited {@link ProducerOptions#maxBufferTime()}, or at the end. See {@link PutRecordsSender} for what is
 * retried and what order is kept. {@link #progress()} may be read from any thread.
 */
public final class Producer {

    private final KinesisClient kinesis;
    private final TripSourceOpener sourceOpener;
    private final ProducerOptions options;
    private final ProducerListener listener;
    private final ProducerTiming timing;
    private final RecordEncoder encoder;
    private final RecordPacker packer;
    private final SendCounters counters = new SendCounters();
    private final PutRecordsBatch batch = new PutRecordsBatch(BatchLimits.KINESIS);
    private final PutRecordsSender sender;
    private final RateLimiter rateLimiter;

    private volatile boolean stopRequested;
    private volatile ProducerProgress lastProgress;
    private volatile long badRowsSkipped;
    private volatile long badRowsSent;
    private volatile long taken;
    private volatile long startedAt;
    // set while trips wait in the packer or the batch: when they must be sent at the latest
    private boolean buffering;
    private long bufferDeadline;

    public Producer(KinesisClient kinesis, TripSourceOpener source, ProducerOptions options, ProducerListener listener,
            RecordEncoder encoder, RecordPacker packer, ProducerTiming timing) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.sourceOpener = Objects.requireNonNull(source, "source");
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.packer = Objects.requireNonNull(packer, "packer");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.sender = new PutRecordsSender(kinesis, options.streamName(), options.retries(), timing.sleeper(),
                timing.jitter(), counters);
        this.rateLimiter = options.tripsPerSecond() == 0
                ? RateLimiter.unlimited()
                : RateLimiter.perSecond(options.tripsPerSecond(), timing.ticker());
    }

    /**
     * A producer as the command line runs it: trips as the workshop's JSON ({@link TripJson}), KPL-aggregated per
     * shard when {@code options.aggregation()} (the stream's shards are read now), the machine's time.
     *
     * @throws IllegalStateException when the stream does not exist
     */
    public static Producer create(KinesisClient kinesis, TripSourceOpener source, ProducerOptions options,
            ProducerListener listener) {
        RecordPacker packer;
        try {
            packer = options.aggregation()
                    ? new KplAggregatingPacker(ShardMap.of(kinesis, options.streamName()))
                    : new OneRecordPerTrip();
        } catch (ResourceNotFoundException e) {
            throw streamNotFound(options.streamName(), e);
        }
        return new Producer(kinesis, source, options, listener, TripJson::toBytes, packer, ProducerTiming.system());
    }

    /** Asks a running producer to stop after the trip in hand; what is buffered is still sent. Any thread may call it. */
    public void stop() {
        stopRequested = true;
    }

    /** The latest progress: counts are live, the recent rate is the one of the last report. */
    public ProducerProgress progress() {
        ProducerProgress last = lastProgress;
        return snapshot(last == null ? 0 : last.recentRate());
    }

    /**
     * Runs on the calling thread until the source ends, a limit is reached, {@link #stop()} is called or the thread
     * is interrupted.
     *
     * @throws IllegalStateException when the stream does not exist
     * @throws UncheckedIOException  when the source cannot be read
     */
    public ProducerSummary run() {
        startedAt = timing.ticker().nanoTime();
        lastProgress = snapshot(0);
        ProducerSummary.StopReason reason;
        try (TripSource source = openSource()) {
            reason = pump(source);
            if (reason != ProducerSummary.StopReason.INTERRUPTED) {
                try {
                    sendEverythingBuffered();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    reason = ProducerSummary.StopReason.INTERRUPTED;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the trips: " + e.getMessage(), e);
        } catch (ResourceNotFoundException e) {
            throw streamNotFound(options.streamName(), e);
        }
        ProducerProgress end = report();
        return new ProducerSummary(reason, end);
    }

    private static IllegalStateException streamNotFound(String streamName, ResourceNotFoundException e) {
        return new IllegalStateException("Stream '" + streamName
                + "' does not exist: create it first, or give the name of an existing stream.", e);
    }

    private TripSource openSource() throws IOException {
        TripSource source = options.loop() ? new LoopingTripSource(sourceOpener) : sourceOpener.open();
        return options.shiftToNow() ? new ShiftedToNowSource(source, timing.clock()) : source;
    }

    private ProducerSummary.StopReason pump(TripSource source) throws IOException {
        long nextReport = startedAt + options.progressInterval().toNanos();
        boolean timeLimited = options.maxDuration() != null;
        long endAt = timeLimited ? startedAt + options.maxDuration().toNanos() : 0;
        try {
            for (;;) {
                long now = timing.ticker().nanoTime();
                if (now - nextReport >= 0) {
                    report();
                    nextReport = now + options.progressInterval().toNanos();
                }
                if (stopRequested) {
                    return ProducerSummary.StopReason.STOPPED;
                }
                if (options.maxTrips() > 0 && taken >= options.maxTrips()) {
                    return ProducerSummary.StopReason.MAX_TRIPS;
                }
                if (timeLimited && now - endAt >= 0) {
                    return ProducerSummary.StopReason.MAX_DURATION;
                }
                if (buffering && now - bufferDeadline >= 0) {
                    sendEverythingBuffered();
                }
                long wait = rateLimiter.nanosUntilNextPermit();
                if (wait > 0) {
                    // Wake up for whatever comes first: the next permit, a progress report, the end, or trips in a
                    // buffer whose time is up (they would otherwise wait for the rate limit too). Sleep at most
                    // 100 ms at a time, so that stop() is heard quickly.
                    long sleep = Math.min(wait, nextReport - now);
                    if (timeLimited) {
                        sleep = Math.min(sleep, endAt - now);
                    }
                    if (buffering) {
                        sleep = Math.min(sleep, bufferDeadline - now);
                    }
                    timing.sleeper().sleep(Duration.ofNanos(Math.max(1, Math.min(sleep, 100_000_000L))));
                    continue;
                }
                Optional<SourceItem> item = source.next();
                if (item.isEmpty()) {
                    return ProducerSummary.StopReason.SOURCE_ENDED;
                }
                rateLimiter.tryAcquire();
                Optional<RecordToSend> record = recordToSend(item.get());
                if (record.isPresent()) {
                    taken++;
                    if (!buffering) {
                        buffering = true;
                        bufferDeadline = now + options.maxBufferTime().toNanos();
                    }
                    for (PutRecordEntry complete : packer.add(record.get())) {
                        addToBatch(complete);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProducerSummary.StopReason.INTERRUPTED;
        }
    }

    private Optional<RecordToSend> recordToSend(SourceItem item) {
        if (item instanceof SourceItem.GoodTrip good) {
            return Optional.of(new RecordToSend(PartitionKeys.of(good.trip().id()), encoder.encode(good.trip())));
        }
        SourceItem.BadRow bad = (SourceItem.BadRow) item;
        if (options.sendBadRows()) {
            String key = badRowKey(bad);
            byte[] data = bad.bytes();
            long size = KplFormat.recordBytes(data.length, key);
            if (size <= KplFormat.MAX_KINESIS_RECORD_BYTES) {
                listener.onBadRow(bad, true);
                badRowsSent++;
                return Optional.of(new RecordToSend(key, data));
            }
            // PutRecords would refuse the whole request for it, with the good records beside it
            bad = new SourceItem.BadRow(bad.lineNumber(), bad.rawLine(), bad.reason() + "; not sent as it is: with its key it has "
                    + size + " bytes, more than the " + KplFormat.MAX_KINESIS_RECORD_BYTES + " of a Kinesis record", data);
        }
        listener.onBadRow(bad, false);
        badRowsSkipped++;
        return Optional.empty();
    }

    /** A bad row's first field (its id, in a workshop CSV) as partition key, or its line number when that is empty. */
    static String badRowKey(SourceItem.BadRow row) {
        String first = row.rawLine().split("[,\\t]", 2)[0].strip();
        return PartitionKeys.of(first.isEmpty() ? "line-" + row.lineNumber() : first);
    }

    private void addToBatch(PutRecordEntry record) throws InterruptedException {
        if (!batch.hasRoomFor(record)) {
            sender.send(batch.drain());
        }
        batch.add(record);
        if (batch.isFull()) {
            sender.send(batch.drain());
        }
    }

    private void sendEverythingBuffered() throws InterruptedException {
        for (PutRecordEntry record : packer.flush()) {
            addToBatch(record);
        }
        if (!batch.isEmpty()) {
            sender.send(batch.drain());
        }
        buffering = false;
    }

    private ProducerProgress report() {
        ProducerProgress previous = lastProgress;
        ProducerProgress now = snapshot(0);
        double seconds = (now.elapsed().toNanos() - previous.elapsed().toNanos()) / 1e9;
        double recent = seconds <= 0 ? previous.recentRate()
                : (now.send().sentTrips() - previous.send().sentTrips()) / seconds;
        ProducerProgress reported = new ProducerProgress(now.elapsed(), now.badRowsSkipped(), now.badRowsSent(),
                now.buffered(), now.send(), recent);
        lastProgress = reported;
        listener.onProgress(reported);
        return reported;
    }

    private ProducerProgress snapshot(double recentRate) {
        var send = counters.snapshot();
        long buffered = Math.max(0, taken - send.sentTrips() - send.failedTrips());
        Duration elapsed = Duration.ofNanos(timing.ticker().nanoTime() - startedAt);
        return new ProducerProgress(elapsed, badRowsSkipped, badRowsSent, buffered, send, recentRate);
    }
}
