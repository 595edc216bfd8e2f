package dev.kinesisaggs.benchmarks;

import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.runtime.ExecutionEnvironments;
import dev.kinesisaggs.esm.runtime.InvocationReport;
import dev.kinesisaggs.esm.runtime.LambdaJvmFlags;
import dev.kinesisaggs.esm.runtime.PackagedFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Can one invocation loop keep up with a shard read at its limit? Runs the packaged function
 * ({@code function/target/kinesis-aggs-function-lambda.jar}) as Lambda runs it, in a fresh execution
 * environment per memory size (a JVM with the java21 runtime's flags for the size, AWS's runtime
 * interface client; with {@code --cpu-cgroup DIR}, Lambda's CPU share for the size as a cgroup v1 quota),
 * with the trips and quarantine tables on as the template deploys it, against {@link InstantDynamoDb}: a
 * DynamoDB endpoint that answers at once, so that what is measured is the function's own work per trip,
 * AWS SDK calls included (marshalling, signing, HTTP), and not an emulator's. The events are the real data
 * set, KPL-aggregated as the producer sends it, in batches as the mapping cuts them from a shard that is
 * behind (6 MB, about 13,000 trips), one after the other with the state carried, windows closed by a final
 * invoke. The CPU time is the environment's process (all its threads: the runtime's event deserialisation,
 * the handler, its writer threads, JIT and GC), read from {@code /proc} through {@link ProcessHandle}.
 *
 * <p>From the repository root, after {@code ./mvnw -B -q -pl benchmarks -am package -DskipTests -DskipITs}:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.kinesisaggs.benchmarks.SaturatedShard \
 *   [--cpu-cgroup /sys/fs/cgroup/cpu/kinesis-aggs] [--warmup 2] [--batches 4] [--rate 6000] \
 *   [--csv ../shared/data/taxi-trips.csv] [--jar function/target/kinesis-aggs-function-lambda.jar] [--no-trips-table] \
 *   [--java-tool-options "-XX:TieredStopAtLevel=4"] [--tls] [--latency MS] [MB ...]
 * </pre>
 * {@code --tls} serves the endpoint over HTTPS, as DynamoDB is served on AWS: each connection the function opens is then
 * a TLS handshake, as there. The figures count the connections opened. {@code --latency 4ms} holds each answer that long, as
 * DynamoDB's round trip would on AWS: the calls the function keeps in flight then bound its rate.
 * {@code --java-tool-options} sets the function's {@code JAVA_TOOL_OPTIONS}, AWS's documented way to change the runtime's JVM
 * flags (for example C2 for a compute-heavy function).
 * {@code --no-trips-table} runs the function as deployed with {@code TripsTableName} empty (no trip stored or claimed).
 * Without {@code --cpu-cgroup} the environment has the machine's CPUs and only the figures derived from
 * CPU time (scaled to the share) stand for Lambda; the output says so.
 */
public final class SaturatedShard {

    private static final String HANDLER = "dev.kinesisaggs.function.TripWindowStreamHandler::handleRequest";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:kinesis-aggs-saturated-shard";

    private SaturatedShard() {
    }

    /** What one memory size did. */
    record Result(int memoryMb, double vcpus, double coldInitMs, double coldInvokeMs, double coldCpuMs,
                  int invocations, long trips, double durationMs, double cpuMs, long slowerThanTimeout,
                  double finalInvokeMs, double finalInvokeCpuMs, Map<String, Long> calls, String loadBefore, String loadAfter) {

        double cpuMsPer1000Trips() {
            return cpuMs / trips * 1000;
        }

        double durationMsPer1000Trips() {
            return durationMs / trips * 1000;
        }

        /** Trips per second of invocations back to back, as measured (under the quota when one was set). */
        double measuredTripsPerSecond(int batchesPerWindow) {
            double perBatch = durationMs / invocations;
            double tripsPerBatch = (double) trips / invocations;
            return batchesPerWindow * tripsPerBatch / ((batchesPerWindow * perBatch + finalInvokeMs) / 1000);
        }

        /** Trips per second if the function had exactly its share of a vCPU and were bound by CPU alone. */
        double cpuBoundTripsPerSecond(int batchesPerWindow) {
            double perBatch = cpuMs / invocations;
            double tripsPerBatch = (double) trips / invocations;
            return batchesPerWindow * tripsPerBatch / ((batchesPerWindow * perBatch + finalInvokeCpuMs) / 1000 / Math.min(1.0, vcpus));
        }
    }

    public static void main(String[] args) throws Exception {
        Path cgroup = null;
        int warmup = 2;
        int batches = 4;
        int rate = 6000;
        int timeoutSeconds = 900;
        boolean tripsTable = true;
        Path csv = Path.of("..", "shared", "data", "taxi-trips.csv");
        Path jar = Path.of("function", "target", "kinesis-aggs-function-lambda.jar");
        String javaToolOptions = "";
        boolean tls = false;
        Duration latency = Duration.ZERO;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cpu-cgroup" -> cgroup = Path.of(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--batches" -> batches = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--timeout" -> timeoutSeconds = Integer.parseInt(args[++i]);
                case "--no-trips-table" -> tripsTable = false;
                case "--csv" -> csv = Path.of(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--java-tool-options" -> javaToolOptions = args[++i];
                case "--tls" -> tls = true;
                case "--latency" -> latency = Duration.ofNanos((long) (Double.parseDouble(args[++i].replace("ms", "")) * 1e6));
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(512, 1024, LambdaJvmFlags.ONE_VCPU_MB);
        }
        if (!Files.isRegularFile(jar)) {
            System.err.println("No packaged function at " + jar + ": run ./mvnw -B -q -pl benchmarks -am package -DskipTests -DskipITs"
                    + " from the repository root first.");
            System.exit(2);
        }
        KinesisRecordsOfTrips records = KinesisRecordsOfTrips.aggregatedAll(csv);
        long allTrips = java.util.Arrays.stream(records.tripCounts()).sum();
        ShardBatches.Event sample = new ShardBatches(records, Integer.MAX_VALUE).next(Map.of());
        int batchesPerWindow = (int) Math.ceil((double) rate * ShardBatches.WINDOW_SECONDS / sample.trips());
        System.out.printf(Locale.ROOT, "data: %,d clean trips in %d KPL aggregates (%.1f trips, %,.0f bytes each); a full batch: %d records,"
                        + " %,d trips, %.2f MB of JSON; at %,d trips/s a %d s window is %d batches + a final invoke%n",
                allTrips, records.size(), (double) allTrips / records.size(), (double) records.dataBytes() / records.size(),
                sample.records(), sample.trips(), sample.json().length() / 1048576.0, rate, ShardBatches.WINDOW_SECONDS, batchesPerWindow);
        System.out.printf(Locale.ROOT, "machine: %d processors, %s, Java %s; CPU share: %s; tables: aggregates, %s and quarantine on;"
                        + " JAVA_TOOL_OPTIONS: %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                cgroup == null ? "NOT LIMITED (no --cpu-cgroup): only the CPU-time figures scaled to the share stand for Lambda"
                        : "cgroup v1 quota in " + cgroup + ", memory/1769 of a CPU", tripsTable ? "trips" : "NO trips table",
                javaToolOptions.isBlank() ? "none (the runtime's flags: C1 only, serial collector)" : javaToolOptions);
        System.out.println("endpoint: answers " + (latency.isZero() ? "at once" : "after " + latency.toNanos() / 1e6 + " ms") + ", over "
                + (tls ? "HTTPS (TLS, a self-signed RSA 2048 certificate)" : "plain HTTP"));

        List<Result> results = new ArrayList<>();
        Path certificates = Files.createTempDirectory("saturated-shard");
        try (InstantDynamoDb dynamo = tls ? InstantDynamoDb.startTls(certificates) : InstantDynamoDb.start()) {
            String functionOptions = (javaToolOptions + " " + dynamo.trustStoreOptions()).strip();
            dynamo.latency(latency);
            for (int memoryMb : sizes) {
                Result r = measure(dynamo, jar, memoryMb, cgroup, tripsTable, functionOptions, records, batchesPerWindow, warmup,
                        batches, timeoutSeconds);
                results.add(r);
                System.out.printf(Locale.ROOT, "%d MB (%.3f vCPU): cold init %.0f ms, first invoke %.0f ms (%.0f CPU ms from JVM start);"
                                + " %d warm batches, %,d trips: %.1f s, %.1f CPU s; final invoke %.0f ms (%.0f CPU ms); calls %s;"
                                + " load %s -> %s%n", r.memoryMb(), r.vcpus(), r.coldInitMs(), r.coldInvokeMs(), r.coldCpuMs(), r.invocations(),
                        r.trips(), r.durationMs() / 1000, r.cpuMs() / 1000, r.finalInvokeMs(), r.finalInvokeCpuMs(), r.calls(),
                        r.loadBefore(), r.loadAfter());
            }
        } finally {
            try (var files = Files.list(certificates)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(certificates);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "memory MB | vCPU | CPU ms per 1,000 trips | invocation ms per 1,000 trips | trips/s per shard, measured"
                + " | trips/s per shard, CPU time / share | %,d trips/s in real time?%n", rate);
        for (Result r : results) {
            double measured = r.measuredTripsPerSecond(batchesPerWindow);
            double cpuBound = r.cpuBoundTripsPerSecond(batchesPerWindow);
            double deciding = cgroup == null ? cpuBound : measured;
            System.out.printf(Locale.ROOT, "%d | %.3f | %.0f | %.0f | %s | %,.0f | %s%n", r.memoryMb(), r.vcpus(), r.cpuMsPer1000Trips(),
                    r.durationMsPer1000Trips(), cgroup == null ? "(not limited)" : String.format(Locale.ROOT, "%,.0f", measured), cpuBound,
                    deciding >= rate ? "yes" : String.format(Locale.ROOT, "no: %.1fx short", rate / deciding));
            if (r.slowerThanTimeout() > 0) {
                System.out.printf(Locale.ROOT, "  %d MB: %d invocation(s) took longer than the template's 60 s timeout%n", r.memoryMb(),
                        r.slowerThanTimeout());
            }
        }
    }

    private static Result measure(InstantDynamoDb dynamo, Path jar, int memoryMb, Path cgroup, boolean tripsTable, String javaToolOptions,
                                  KinesisRecordsOfTrips records,
                                  int batchesPerWindow, int warmup, int batches, int timeoutSeconds) {
        List<InvocationReport> reports = new CopyOnWriteArrayList<>();
        PackagedFunction.Builder function = PackagedFunction.builder()
                .artifact(jar.toAbsolutePath())
                .handler(HANDLER)
                .functionName("kinesis-aggs-saturated-shard")
                .memorySizeMb(memoryMb)
                // the template's tables: aggregates, trips (clean trips inserted, 25 to a BatchExecuteStatement) and quarantine
                .environmentVariable("dynamoDBTableName", "kinesisAggs")
                .environmentVariable("tripsTableName", tripsTable ? "kinesisAggsTrips" : "")
                .environmentVariable("rejectsTableName", "kinesisAggsRejects")
                .environmentVariable("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSATURATEDSHARD", "benchmark")))
                .log(line -> { })
                .reports(reports::add);
        if (cgroup != null) {
            function.cpuCgroup(cgroup);
        }
        if (!javaToolOptions.isBlank()) {
            function.environmentVariable("JAVA_TOOL_OPTIONS", javaToolOptions); // as a function's template would set it
        }
        String loadBefore = loadAverage();
        try (ExecutionEnvironments environments = new ExecutionEnvironments(function.build(), FUNCTION_ARN, "us-east-1",
                Duration.ofSeconds(timeoutSeconds), () -> UUID.randomUUID().toString(), Clock.systemUTC())) {
            ShardBatches shard = new ShardBatches(records, batchesPerWindow);
            Map<String, String> state = Map.of();
            // cold: JVM start, runtime client, construction, the first batch
            ShardBatches.Event event = shard.next(state);
            state = invoke(environments, event);
            double coldCpu = environmentCpuMs();
            InvocationReport cold = reports.get(reports.size() - 1);
            for (int i = 0; i < warmup; i++) {
                event = shard.next(state);
                Map<String, String> answer = invoke(environments, event);
                state = event.finalInvoke() ? Map.of() : answer; // a window after a final invoke starts empty, as on Lambda
            }
            Map<String, Long> callsBefore = dynamo.calls();
            long connectionsBefore = dynamo.connections();
            int invocations = 0;
            long trips = 0;
            double durationMs = 0;
            double cpuMs = 0;
            long slow = 0;
            while (invocations < batches) {
                event = shard.next(state);
                double cpu0 = environmentCpuMs();
                Map<String, String> answer = invoke(environments, event);
                double cpu = environmentCpuMs() - cpu0;
                InvocationReport report = reports.get(reports.size() - 1);
                if (event.finalInvoke()) { // a window closed inside the measured stretch: its cost is measured apart below
                    state = Map.of();
                    continue;
                }
                state = answer;
                invocations++;
                trips += event.trips();
                durationMs += millis(report.duration());
                cpuMs += cpu;
                if (report.duration().compareTo(Duration.ofSeconds(60)) > 0) {
                    slow++;
                }
            }
            Map<String, Long> calls = new HashMap<>(dynamo.calls());
            calls.replaceAll((operation, count) -> count - callsBefore.getOrDefault(operation, 0L));
            calls.put("(connections opened)", dynamo.connections() - connectionsBefore);
            // the window's final invoke: the part (vendor items and marker) written, the state emptied
            event = shard.closeWindow(state);
            double cpu0 = environmentCpuMs();
            invoke(environments, event);
            double finalCpu = environmentCpuMs() - cpu0;
            double finalMs = millis(reports.get(reports.size() - 1).duration());
            return new Result(memoryMb, new LambdaJvmFlags(memoryMb).vcpus(), millis(cold.initDuration().orElse(Duration.ZERO)),
                    millis(cold.duration()), coldCpu, invocations, trips, durationMs, cpuMs, slow, finalMs, finalCpu, new java.util.TreeMap<>(calls),
                    loadBefore, loadAverage());
        }
    }

    private static Map<String, String> invoke(ExecutionEnvironments environments, ShardBatches.Event event) {
        InvocationResult result = environments.invoke(ShardBatches.SHARD, event.json());
        if (!(result instanceof InvocationResult.Returned returned) || !returned.responseJson().contains("\"batchItemFailures\":[]")) {
            throw new IllegalStateException("the invocation did not do its work: " + result);
        }
        return ShardBatches.stateOf(returned.responseJson());
    }

    /** CPU time of the execution environments' JVMs (this process's java descendants), all threads. */
    private static double environmentCpuMs() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(0.0))
                .sum();
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
