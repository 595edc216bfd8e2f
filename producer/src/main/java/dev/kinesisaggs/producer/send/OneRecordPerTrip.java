package dev.kinesisaggs.producer.send;

import java.util.List;

/** No aggregation ({@code --no-aggregation}): every user record is its own Kinesis record, hashed by its partition key. */
public final class OneRecordPerTrip implements RecordPacker {

    @Override
    public List<KinesisRecord> add(UserRecord record) {
        return List.of(new KinesisRecord(record.partitionKey(), null, record.data(), 1));
    }

    @Override
    public List<KinesisRecord> flush() {
        return List.of();
    }

    @Override
    public int buffered() {
        return 0;
    }
}
