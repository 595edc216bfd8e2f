package dev.kinesisaggs.function.coldstart;

import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.kinesisaggs.function.TripWindowHandler;
import dev.kinesisaggs.function.testing.TestContext;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Run in a fresh JVM on the packaged artifact (plus the runtime's event serializer): what a cold
 * start costs. Configured like Lambda, by the environment (table names, SDK endpoint variables).
 * Prints one line: {@code coldstart primed=.. jvmToMainMs=.. constructMs=.. primeMs=.. deserializeMs=.. firstInvokeMs=.. ...}.
 * With {@code --prime} as the second argument, the SnapStart checkpoint hook runs right after
 * construction: the first invocation is then the closest local analog of the first invocation
 * after a restore (same JVM, classes loaded and compiled by priming; no snapshot, no restore).
 *
 * <p>Wall-clock reads are the point of this program, not logic under test.
 */
public final class ColdStartMain {

    public static void main(String[] args) throws Exception {
        long mainEntered = System.nanoTime();
        long jvmUptimeAtMain = ManagementFactory.getRuntimeMXBean().getUptime();
        // the handler's log line goes to stdout; keep this program's one line apart
        PrintStream out = System.out;
        System.setOut(new PrintStream(PrintStream.nullOutputStream()));
        Path eventFile = Path.of(args[0]);
        boolean prime = args.length > 1 && args[1].equals("--prime");

        long t0 = System.nanoTime();
        TripWindowHandler handler = new TripWindowHandler();
        long constructed = System.nanoTime();
        if (prime) {
            // what SnapStart's checkpoint runs; a restore would start from here with this already done
            handler.priming().beforeCheckpoint(null);
        }
        long t1 = System.nanoTime();
        PojoSerializer<KinesisTimeWindowEvent> serializer =
                LambdaEventSerializers.serializerFor(KinesisTimeWindowEvent.class, ColdStartMain.class.getClassLoader());
        KinesisTimeWindowEvent event;
        try (InputStream in = Files.newInputStream(eventFile)) {
            event = serializer.fromJson(in);
        }
        long t2 = System.nanoTime();
        TimeWindowEventResponse response = handler.handleRequest(event, new TestContext(Clock.systemUTC(), Duration.ofSeconds(60)));
        long t3 = System.nanoTime();
        TimeWindowEventResponse second = handler.handleRequest(event, new TestContext(Clock.systemUTC(), Duration.ofSeconds(60)));
        long t4 = System.nanoTime();
        out.printf("coldstart primed=%s jvmToMainMs=%d constructMs=%d primeMs=%d deserializeMs=%d firstInvokeMs=%d secondInvokeMs=%d"
                        + " records=%d failures=%d state=%s%n",
                prime, jvmUptimeAtMain, ms(constructed - t0), ms(t1 - constructed), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), event.getRecords().size(),
                response.getBatchItemFailures().size() + second.getBatchItemFailures().size(), response.getState());
        out.flush();
        if (mainEntered < 0) {
            throw new IllegalStateException();
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
