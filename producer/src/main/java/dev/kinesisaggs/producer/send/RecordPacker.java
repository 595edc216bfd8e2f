package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.PutRecordEntry;
import java.util.List;

/** Turns user records into Kinesis records: one each, or many per KPL aggregated record. */
public interface RecordPacker {

    /** Takes one user record; returns the Kinesis records that are complete because of it (often none). */
    List<PutRecordEntry> add(RecordToSend record);

    /** Returns whatever is still buffered as Kinesis records, and empties the buffer. */
    List<PutRecordEntry> flush();

    /** How many user records are buffered and not yet returned. */
    int buffered();
}
