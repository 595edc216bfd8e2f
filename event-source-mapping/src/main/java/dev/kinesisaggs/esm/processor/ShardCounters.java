package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.invocation.TimeWindow;
import dev.kinesisaggs.esm.metrics.ShardStatus;
import dev.kinesisaggs.esm.retrieval.StreamRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a shard has done so far, counted as the status and Lambda's metrics name it (spec §6). */
final class ShardCounters {

    private long recordsIn;
    private long invocations;
    private long failedInvocations;
    private long recordsDiscarded;
    private long windowsClosed;
    private long iteratorAgeMillis;
    private long millisBehindLatest;
    private String lastProcessingResult = "No records processed";

    void read(int records, long behindLatestMillis) {
        recordsIn += records;
        millisBehindLatest = behindLatestMillis;
    }

    /** IteratorAge: how old the batch's last record is when the mapping sends it. */
    void sending(List<StreamRecord> records, Instant now) {
        if (!records.isEmpty()) {
            iteratorAgeMillis = Duration.between(records.get(records.size() - 1).approximateArrivalTimestamp(), now).toMillis();
        }
    }

    /** An invocation that reached the function (a throttled one did not). */
    void invoked() {
        invocations++;
    }

    void succeeded() {
        lastProcessingResult = "OK";
    }

    /** Failed in whole or in part. */
    void failed() {
        failedInvocations++;
        lastProcessingResult = "PROBLEM: Function call failed";
    }

    void discarded(int records) {
        recordsDiscarded += records;
    }

    void windowClosed() {
        windowsClosed++;
    }

    ShardStatus snapshot(String shardId, String phase, Optional<TimeWindow> window, Optional<String> lastCheckpoint) {
        return new ShardStatus(shardId, phase, window.map(TimeWindow::start), window.map(TimeWindow::end),
                recordsIn, invocations, failedInvocations, recordsDiscarded, windowsClosed, iteratorAgeMillis,
                millisBehindLatest, lastCheckpoint, lastProcessingResult);
    }
}
