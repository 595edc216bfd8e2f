package dev.kinesisaggs.function.sizing;

import static dev.kinesisaggs.function.measuring.ColdStartSteps.ms;

import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import dev.kinesisaggs.function.measuring.ColdStartSteps;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * One cold invocation in this JVM, sized by the caller as Lambda would size it ({@link dev.kinesisaggs.esm.runtime.LambdaJvmFlags}):
 * handler construction, the runtime's deserialisation of the event (it shares the heap), one
 * invocation; with {@code --prime} after the event file, the SnapStart priming hook runs after
 * construction. Then the same event again, warm. Prints one line of figures: peak heap used (the most in use just before a
 * collection, or at the end), heap live after a collection, collections and their time, the
 * process's peak resident memory ({@code VmHWM}, what Lambda reports as "Max Memory Used" but for
 * the runtime's own few MB), its CPU time, and the wall time of each step.
 *
 * <p>Wall-clock and memory reads are the point of this program, not logic under test.
 */
public final class SizedInvokeMain {

    public static void main(String[] args) throws Exception {
        PrintStream out = ColdStartSteps.stdoutApartFromTheHandlers();
        AtomicLong peakUsedBytes = new AtomicLong();
        AtomicLong peakLiveBytes = new AtomicLong();
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
                peakUsedBytes.accumulateAndGet(heap(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
                peakLiveBytes.accumulateAndGet(heap(info.getMemoryUsageAfterGc(), heapPools), Math::max);
            }, null, null);
        }

        ColdStartSteps cold = ColdStartSteps.run(args);
        long t2 = System.nanoTime();
        String outcome;
        int failures = -1;
        try {
            TimeWindowEventResponse response = cold.invoke();
            failures = response.getBatchItemFailures().size();
            outcome = "ok";
        } catch (OutOfMemoryError e) {
            outcome = "OutOfMemoryError";
        } catch (RuntimeException e) {
            outcome = e.getClass().getSimpleName();
        }
        long t3 = System.nanoTime();
        long cpuAfterFirstMs = cpuMs();
        // the same event again, warm (its trips are put again: same keys, same items)
        int secondFailures = -1;
        try {
            secondFailures = cold.invoke().getBatchItemFailures().size();
        } catch (RuntimeException e) {
            outcome += "+second:" + e.getClass().getSimpleName();
        }
        long t4 = System.nanoTime();
        long secondCpuMs = cpuMs() - cpuAfterFirstMs;
        peakUsedBytes.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        Thread.sleep(200); // the last collection's notification arrives on another thread

        long gcCount = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        out.printf("sized outcome=%s primed=%s records=%d failures=%d constructMs=%d primeMs=%d deserializeMs=%d invokeMs=%d"
                        + " cpuToFirstResultMs=%d secondInvokeMs=%d secondCpuMs=%d secondFailures=%d heapPeakMb=%d heapLiveMb=%d"
                        + " heapMaxMb=%d gcCount=%d gcMs=%d rssPeakMb=%d cpuMs=%d%n",
                outcome, cold.primed(), cold.event().getRecords().size(), failures, cold.constructMs(), cold.primeMs(), cold.deserializeMs(),
                ms(t3 - t2),
                cpuAfterFirstMs, ms(t4 - t3), secondCpuMs, secondFailures,
                mb(peakUsedBytes.get()), mb(peakLiveBytes.get()), mb(Runtime.getRuntime().maxMemory()),
                gcCount, gcMs, vmHwmKb() / 1024, cpuMs());
        out.flush();
    }

    private static long heap(Map<String, MemoryUsage> usageByPool, Set<String> heapPools) {
        long total = 0;
        for (Map.Entry<String, MemoryUsage> e : usageByPool.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                total += e.getValue().getUsed();
            }
        }
        return total;
    }

    /** Peak resident set size of this process, from Linux's {@code /proc/self/status}; -1 elsewhere. */
    private static long vmHwmKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1024;
        }
        return -1024;
    }

    private static long cpuMs() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
