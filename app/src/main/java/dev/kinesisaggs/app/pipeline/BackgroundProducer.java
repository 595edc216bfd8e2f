package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.producer.Producer;
import dev.kinesisaggs.producer.ProducerProgress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A producer sending on a daemon thread of its own, while a command watches the pipeline it feeds. */
public final class BackgroundProducer {
    private final Producer producer;
    private final Thread thread;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private BackgroundProducer(Producer producer) {
        this.producer = producer;
        this.thread = new Thread(() -> {
            try {
                producer.run();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }, "kinesis-aggs-demo-producer");
        thread.setDaemon(true);
    }

    public static BackgroundProducer start(Producer producer) {
        BackgroundProducer started = new BackgroundProducer(producer);
        started.thread.start();
        return started;
    }

    /** Why the producer stopped by itself, if it did. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure.get());
    }

    public ProducerProgress progress() {
        return producer.progress();
    }

    /** Asks it to stop and waits for it, {@code atMost} (it finishes sending what it holds). */
    public void stop(Duration atMost) throws InterruptedException {
        producer.stop();
        thread.join(atMost.toMillis());
    }
}
