package dev.kinesisaggs.function.coldstart;

import static dev.kinesisaggs.function.measuring.ColdStartSteps.ms;

import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.function.measuring.ColdStartSteps;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;

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
        PrintStream out = ColdStartSteps.stdoutApartFromTheHandlers();
        ColdStartSteps cold = ColdStartSteps.run(args);
        long t2 = System.nanoTime();
        TimeWindowEventResponse response = cold.invoke();
        long t3 = System.nanoTime();
        TimeWindowEventResponse second = cold.invoke();
        long t4 = System.nanoTime();
        out.printf("coldstart primed=%s jvmToMainMs=%d constructMs=%d primeMs=%d deserializeMs=%d firstInvokeMs=%d secondInvokeMs=%d"
                        + " records=%d failures=%d state=%s%n",
                cold.primed(), jvmUptimeAtMain, cold.constructMs(), cold.primeMs(), cold.deserializeMs(), ms(t3 - t2), ms(t4 - t3),
                cold.event().getRecords().size(), response.getBatchItemFailures().size() + second.getBatchItemFailures().size(),
                response.getState());
        out.flush();
        if (mainEntered < 0) {
            throw new IllegalStateException();
        }
    }
}
