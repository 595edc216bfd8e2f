package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.PutRecordEntry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a sender: written by the sending thread, read by any thread (a progress line, a dashboard). */
public final class SendCounters {

    private final AtomicLong sentTrips = new AtomicLong();
    private final AtomicLong sentRecords = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retriedRecords = new AtomicLong();
    private final AtomicLong failedTrips = new AtomicLong();
    private final AtomicLong failedRecords = new AtomicLong();
    private final Map<String, LongAdder> failuresByError = new ConcurrentHashMap<>();

    void request() {
        requests.incrementAndGet();
    }

    void sent(PutRecordEntry record) {
        sentTrips.addAndGet(record.userRecordCount());
        sentRecords.incrementAndGet();
        sentBytes.addAndGet(PutRecordsBatch.requestBytes(record));
    }

    void entryFailed(String errorCode) {
        failuresByError.computeIfAbsent(errorCode, code -> new LongAdder()).increment();
    }

    void retried(int records) {
        retriedRecords.addAndGet(records);
    }

    void gaveUp(PutRecordEntry record) {
        failedTrips.addAndGet(record.userRecordCount());
        failedRecords.incrementAndGet();
    }

    public SendCounts snapshot() {
        Map<String, Long> errors = new java.util.TreeMap<>();
        failuresByError.forEach((code, count) -> errors.put(code, count.sum()));
        return new SendCounts(sentTrips.get(), sentRecords.get(), sentBytes.get(), requests.get(),
                retriedRecords.get(), failedTrips.get(), failedRecords.get(), errors);
    }
}
