package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.kpl.KplFormat;
import java.util.ArrayList;
import java.util.List;

/** The Kinesis records gathered for the next PutRecords request, kept within {@link BatchLimits}. */
public final class PutRecordsBatch {

    private final BatchLimits limits;
    private final List<PutRecordEntry> records = new ArrayList<>();
    private long bytes;

    public PutRecordsBatch(BatchLimits limits) {
        this.limits = limits;
    }

    /** Whether the record can join without breaking a limit. An empty batch takes any record. */
    public boolean hasRoomFor(PutRecordEntry record) {
        return records.isEmpty()
                || (records.size() < limits.maxRecords() && bytes + requestBytes(record) <= limits.maxBytes());
    }

    /** Adds a record; call {@link #hasRoomFor} first. */
    public void add(PutRecordEntry record) {
        if (!hasRoomFor(record)) {
            throw new IllegalStateException("the batch has no room for this record; send it first");
        }
        records.add(record);
        bytes += requestBytes(record);
    }

    /** What an entry counts against the PutRecords request limit ({@link KplFormat#recordBytes}). */
    public static long requestBytes(PutRecordEntry record) {
        return KplFormat.recordBytes(record.data().length, record.partitionKey());
    }

    public boolean isFull() {
        return records.size() >= limits.maxRecords() || bytes >= limits.maxBytes();
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    public int size() {
        return records.size();
    }

    public long bytes() {
        return bytes;
    }

    /** The gathered records, in the order added; the batch is empty afterwards. */
    public List<PutRecordEntry> drain() {
        List<PutRecordEntry> drained = List.copyOf(records);
        records.clear();
        bytes = 0;
        return drained;
    }
}
