package dev.kinesisaggs.function.measuring;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.testing.TestContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What a measuring main does first in its fresh JVM ({@link PackagedFunctionJvm}), timed: construct the handler,
 * run the SnapStart priming hook after construction if asked (what SnapStart's checkpoint runs; a restore would
 * start from there with it done), and deserialise the event as Lambda's runtime does (it shares the heap).
 *
 * <p>Wall-clock reads are the point of this class, not logic under test.
 */
public record ColdStartSteps(TripWindowHandler handler, KinesisTimeWindowEvent event, boolean primed,
                             long constructMs, long primeMs, long deserializeMs) {

    /** @param args the event file, then optionally {@code --prime} */
    public static ColdStartSteps run(String[] args) throws IOException {
        boolean prime = args.length > 1 && args[1].equals("--prime");
        long t0 = System.nanoTime();
        TripWindowHandler handler = new TripWindowHandler();
        long constructed = System.nanoTime();
        if (prime) {
            handler.priming().beforeCheckpoint(null);
        }
        long t1 = System.nanoTime();
        PojoSerializer<KinesisTimeWindowEvent> serializer =
                LambdaEventSerializers.serializerFor(KinesisTimeWindowEvent.class, ColdStartSteps.class.getClassLoader());
        KinesisTimeWindowEvent event;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            event = serializer.fromJson(in);
        }
        long t2 = System.nanoTime();
        return new ColdStartSteps(handler, event, prime, ms(constructed - t0), ms(t1 - constructed), ms(t2 - t1));
    }

    /** The handler's log line goes to stdout: this silences it and gives back the real stdout for the program's own line. */
    public static PrintStream stdoutApartFromTheHandlers() {
        PrintStream out = System.out;
        System.setOut(new PrintStream(PrintStream.nullOutputStream()));
        return out;
    }

    /** One invocation on the event, with a minute left as Lambda's context would say. */
    public TimeWindowEventResponse invoke() {
        return handler.handleRequest(event, new TestContext(Clock.systemUTC(), Duration.ofSeconds(60)));
    }

    public static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
