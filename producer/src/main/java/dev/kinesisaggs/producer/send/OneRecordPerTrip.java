package dev.kinesisaggs.producer.send;

import dev.kinesisaggs.core.kpl.PutRecordEntry;
import java.util.List;

/** No aggregation ({@code --no-aggregation}): every user record is its own Kinesis record, hashed by its partition key. */
public final class OneRecordPerTrip implements RecordPacker {

    @Override
    public List<PutRecordEntry> add(RecordToSend record) {
        return List.of(new PutRecordEntry(record.partitionKey(), null, record.data(), 1, false));
    }

    @Override
    public List<PutRecordEntry> flush() {
        return List.of();
    }

    @Override
    public int buffered() {
        return 0;
    }
}
