package dev.kinesisaggs.producer.it;

import dev.kinesisaggs.core.retry.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the back-off delays asked for (in nanoseconds), and does not wait: retry tests then run at full speed. */
final class RecordingSleeper implements Sleeper {

    final List<Long> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration.toNanos());
    }
}
