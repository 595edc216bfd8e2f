package dev.kinesisaggs.function.sizing;

import java.util.List;

/**
 * The JVM flags the Lambda Java runtime derives from the function's memory setting, so that a
 * local JVM can be sized as the function's would be: maximum heap 85% of the memory, metaspace
 * 10%, code cache 5%, the serial collector, and C1 only ({@code TieredStopAtLevel=1}, the java17
 * and java21 runtimes' default, which the template also sets). Also: the function's memory as the
 * machine's (so the initial heap is 1/64 of it, as on Lambda), and two visible processors (as
 * reported on Lambda at these sizes), whatever the CPU share.
 */
record LambdaJvmFlags(int memoryMb) {

    List<String> flags() {
        long kb = memoryMb * 1024L;
        return List.of(
                // the memory the JVM believes the machine has: its initial heap (1/64) follows from it
                "-XX:MaxRAM=" + kb + "k",
                "-XX:MaxHeapSize=" + kb * 85 / 100 + "k",
                "-XX:MaxMetaspaceSize=" + kb * 10 / 100 + "k",
                "-XX:ReservedCodeCacheSize=" + kb * 5 / 100 + "k",
                "-XX:+UseSerialGC",
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-XX:ActiveProcessorCount=2",
                "-Xshare:auto");
    }

    /** Lambda's CPU share at this memory: one vCPU at 1,769 MB, in proportion below and above. */
    double vcpus() {
        return memoryMb / 1769.0;
    }
}
