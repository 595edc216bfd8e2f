package dev.kinesisaggs.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Before/after on a busy machine: the {@link HotPathBenchmark} workloads of several builds of this module,
 * loaded side by side in one JVM (one class loader each), run in turns of a short CPU-time slice, round
 * after round, so that every build sees the same load. Prints the median and best trips per CPU-second,
 * and the median (and quartiles) of each round's ratio to the first workload named, e.g. the floor.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.kinesisaggs.benchmarks.AlternatingJars
 * ROUNDS SLICE_SECONDS before.jar,after.jar floorBase64AndMd5 fullAggregated ...} (copy the benchmarks jar of
 * each build aside first; the data set is read from {@code ../shared/data/taxi-trips.csv}).
 */
public final class AlternatingJars {

    private static final String BLACKHOLE_CONSENT =
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";

    private AlternatingJars() {
    }

    /** One build's benchmark instance and its workload methods. */
    private record Build(String name, Object bench, Object blackhole, Method[] workloads) {

        double invocationsPerCpuSecond(int workload, ThreadMXBean threads, double seconds) throws Exception {
            Method m = workloads[workload];
            Object[] args = m.getParameterCount() == 1 ? new Object[]{blackhole} : new Object[0];
            long start = threads.getCurrentThreadCpuTime();
            long invocations = 0;
            long cpu;
            do {
                m.invoke(bench, args);
                invocations++;
                cpu = threads.getCurrentThreadCpuTime() - start;
            } while (cpu < seconds * 1e9);
            return invocations / (cpu / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            throw new IllegalArgumentException(
                    "Give ROUNDS SLICE_SECONDS JAR[,JAR...] WORKLOAD...: e.g. 16 0.5 before.jar,after.jar floorBase64AndMd5 fullAggregated");
        }
        int rounds = Integer.parseInt(args[0]);
        double slice = Double.parseDouble(args[1]);
        String[] jars = args[2].split(",");
        List<String> names = Arrays.asList(args).subList(3, args.length);
        Build[] builds = new Build[jars.length];
        for (int j = 0; j < jars.length; j++) {
            builds[j] = load(Path.of(jars[j]), names);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            for (Build build : builds) {
                for (int w = 0; w < names.size(); w++) {
                    build.invocationsPerCpuSecond(w, threads, slice);
                }
            }
        }
        double[][][] trips = new double[builds.length][names.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < builds.length; k++) {
                int j = r % 2 == 0 ? k : builds.length - 1 - k; // alternate which build goes first
                for (int w = 0; w < names.size(); w++) {
                    trips[j][w][r] = builds[j].invocationsPerCpuSecond(w, threads, slice) * HotPathBenchmark.TRIPS;
                }
            }
        }
        System.out.printf("%-20s", "trips/CPU-s");
        for (Build build : builds) {
            System.out.printf(" %31s", build.name() + " median / best");
        }
        System.out.println();
        for (int w = 0; w < names.size(); w++) {
            System.out.printf("%-20s", names.get(w));
            for (int j = 0; j < builds.length; j++) {
                double[] sorted = sorted(trips[j][w]);
                System.out.printf(" %,15.0f / %,13.0f", sorted[rounds / 2], sorted[rounds - 1]);
            }
            System.out.println();
        }
        for (int w = 1; w < names.size(); w++) {
            System.out.printf("%-20s", names.get(w) + " / " + names.get(0));
            for (int j = 0; j < builds.length; j++) {
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratios[r] = trips[j][w][r] / trips[j][0][r];
                }
                double[] sorted = sorted(ratios);
                System.out.printf("   %.3f (%.3f..%.3f)%11s", sorted[rounds / 2], sorted[rounds / 4],
                        sorted[rounds * 3 / 4], "");
            }
            System.out.println();
        }
    }

    private static Build load(Path jar, List<String> names) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("There is no benchmarks jar " + jar + ": copy benchmarks/target/benchmarks.jar of each build aside first.");
        }
        // parent: the platform loader, so that each build gets its own copy of every class of the project
        URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> type = loader.loadClass(HotPathBenchmark.class.getName());
        Object bench = type.getConstructor().newInstance();
        type.getField("tripsCsv").set(bench, "../shared/data/taxi-trips.csv");
        type.getMethod("load").invoke(bench);
        Object blackhole = loader.loadClass("org.openjdk.jmh.infra.Blackhole").getConstructor(String.class)
                .newInstance(BLACKHOLE_CONSENT);
        Method[] workloads = new Method[names.size()];
        for (int w = 0; w < workloads.length; w++) {
            String name = names.get(w);
            workloads[w] = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("There is no workload " + name + " in " + jar));
        }
        return new Build(jar.getFileName().toString(), bench, blackhole, workloads);
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
