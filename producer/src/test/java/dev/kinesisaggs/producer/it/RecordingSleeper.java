package dev.kinesisaggs.producer.it;

import dev.kinesisaggs.producer.send.Sleeper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the back-off delays asked for, and does not wait: retry tests then run at full speed. */
final class RecordingSleeper implements Sleeper {

    final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleepNanos(long nanos) {
        sleeps.add(nanos);
    }
}
