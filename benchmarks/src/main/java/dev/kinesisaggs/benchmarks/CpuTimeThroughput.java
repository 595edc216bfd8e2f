package dev.kinesisaggs.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The workloads of {@link HotPathBenchmark} timed in CPU time of the running thread instead of wall-clock
 * time: trips per CPU-second of one core. A cross-check for a shared or busy machine, where other
 * processes take the core away and JMH's wall-clock scores drop with them. JMH remains the reference
 * on a quiet machine.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.kinesisaggs.benchmarks.CpuTimeThroughput [tripsCsv] [seconds] [workload...]}
 * runs the named workloads in the given order (a name may be repeated), or all of them.
 */
public final class CpuTimeThroughput {

    private CpuTimeThroughput() {
    }

    @FunctionalInterface
    private interface Workload {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        HotPathBenchmark bench = new HotPathBenchmark();
        bench.tripsCsv = args.length > 0 ? args[0] : "../shared/data/taxi-trips.csv";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        bench.load();
        Blackhole blackhole = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Map<String, Workload> workloads = new LinkedHashMap<>();
        workloads.put("floorBase64AndMd5", () -> bench.floorBase64AndMd5(blackhole));
        workloads.put("deaggregate", () -> bench.deaggregate(blackhole));
        workloads.put("fullAggregated", () -> blackhole.consume(bench.fullAggregated()));
        workloads.put("fullPlain", () -> blackhole.consume(bench.fullPlain()));
        workloads.put("parseAndFoldOnly", () -> blackhole.consume(bench.parseAndFoldOnly()));
        workloads.put("jacksonTokensOnly", () -> blackhole.consume(bench.jacksonTokensOnly()));

        List<String> selected = args.length > 2
                ? Arrays.asList(args).subList(2, args.length) : List.copyOf(workloads.keySet());
        for (String name : selected) {
            if (!workloads.containsKey(name)) {
                throw new IllegalArgumentException("There is no workload " + name + ": name one of " + workloads.keySet());
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("%-20s %16s %16s%n", "workload", "trips/CPU-s", "trips/wall-s");
        for (String name : selected) {
            Workload workload = workloads.get(name);
            runFor(workload, threads, seconds); // warm-up
            long[] measured = runFor(workload, threads, seconds);
            double trips = (double) measured[0] * HotPathBenchmark.TRIPS;
            System.out.printf("%-20s %,16.0f %,16.0f%n", name, trips / (measured[1] / 1e9), trips / (measured[2] / 1e9));
        }
        blackhole.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }

    /** Runs the workload for about {@code seconds} of CPU time: {invocations, CPU ns, wall ns}. */
    private static long[] runFor(Workload workload, ThreadMXBean threads, double seconds) throws Exception {
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        long invocations = 0;
        long cpu;
        do {
            workload.run();
            invocations++;
            cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        } while (cpu < seconds * 1e9);
        return new long[]{invocations, cpu, System.nanoTime() - wallStart};
    }
}
